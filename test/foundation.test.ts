import { describe, expect, it } from 'vitest';
import { bootstrapDefaultAccount, createAccount } from '../src/app/accounts/bootstrap.ts';
import { authenticateApiKey, createApiKey } from '../src/app/accounts/api-keys.ts';
import { describeEachDialect } from './support/dialects.ts';

describeEachDialect('bootstrap and API keys', (get) => {
  it('creates a default account and a key once, and authenticates it', async () => {
    const { deps } = get();
    const first = await bootstrapDefaultAccount(deps);
    expect(first.newApiKey).toMatch(/^hk_[0-9a-f]{8}_/);
    const second = await bootstrapDefaultAccount(deps);
    expect(second.accountId).toBe(first.accountId);
    expect(second.newApiKey).toBeNull();
    const actor = await authenticateApiKey(deps, first.newApiKey!);
    expect(actor).toMatchObject({ accountId: first.accountId, role: 'owner' });
    const key = first.newApiKey!;
    const tampered = `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`;
    expect(await authenticateApiKey(deps, tampered)).toBeNull();
  });

  it('rejects an unknown role by field', async () => {
    const { deps } = get();
    const accountId = await createAccount(deps, { name: 'Other' });
    await expect(createApiKey(deps, { accountId, name: 'k', role: 'wizard' })).rejects.toMatchObject({ field: 'role' });
  });
});

describe('config', () => {
  it('names the variable that is wrong', async () => {
    const { loadConfig } = await import('../src/config/load-config.ts');
    expect(() => loadConfig({ HERALD_PORT: 'eighty' })).toThrow(/HERALD_PORT/);
    expect(() => loadConfig({ HERALD_DATABASE_URL: 'mysql://x' })).toThrow(/HERALD_DATABASE_URL/);
  });
});
