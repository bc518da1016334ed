// Users, sessions and roles through the real HTTP server (F4.2): password sign-in with one answer
// for every failure, session tokens as Bearer and as cookie (with the CSRF header rule), sliding
// and absolute expiry, logout, disabling, roles on the route table, the last-owner rule, password
// rules, audit entries, the sign-in throttle, and the CLI acting as a user (--as).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { bootstrapDefaultAccount } from '../src/app/accounts/bootstrap.ts';
import { login } from '../src/app/auth/login.ts';
import { signPersonalLink } from '../src/app/links/personal-link-token.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createUser } from '../src/app/users/create-user.ts';
import type { Actor } from '../src/app/deps.ts';
import type { Command } from 'commander';
import { COMMAND_PERMISSIONS, commandPath } from '../src/cli/command-permissions.ts';
import { buildProgram, commandWord } from '../src/cli/program.ts';
import { createTestEnv, describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';
import { runCli } from './support/run-cli.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const HOUR = 3600_000;
// Cheap argon2 for tests only; production defaults are checked in the last test.
const CHEAP = { memoryKiB: 64, timeCost: 1, parallelism: 1 };

interface Res {
  status: number;
  json: any;
  headers: Record<string, unknown>;
}

async function setup(get: () => TestEnv) {
  const env = get();
  env.deps.config.passwordHashing = CHEAP;
  const api = await createTestApi(env);
  const owner: Actor = { accountId: api.accountId, role: 'owner', label: 'test' };
  let n = 0;
  const unique = (prefix: string) => `${prefix}${++n}-${Math.random().toString(36).slice(2, 8)}@acme.test`;
  const send = async (method: string, url: string, opts: { body?: unknown; token?: string; cookie?: string; headers?: Record<string, string> } = {}): Promise<Res> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.cookie = `other=1; herald_session=${opts.cookie}`;
    const res = await api.app.inject({ method: method as 'GET', url, headers, ...(opts.body === undefined ? {} : { payload: opts.body as object }) });
    let json: any = null;
    try {
      json = res.json();
    } catch {
      json = res.body;
    }
    return { status: res.statusCode, json, headers: res.headers };
  };
  const login = (email: string, password: string) => send('POST', '/api/v1/auth/login', { body: { email, password } });
  const addUser = async (role: string, password = 'correct horse battery') => {
    const email = unique(role);
    const { user } = await createUser(env.deps, owner, { email, role, password });
    return { ...user, password };
  };
  return { env, api, owner, send, login, addUser, unique };
}

async function sendableCampaign(api: TestApi): Promise<number> {
  const list = (await api.call('POST', '/api/v1/lists', { name: 'people' })).json;
  await api.call('POST', '/api/v1/contacts', { email: 'reader@example.com', list_ids: [list.id] });
  const template = (
    await api.call('POST', '/api/v1/templates', { name: 't', format: 'html', subject: 'Hi', body: '<p>Hi <a href="{{ unsubscribe_url }}">unsubscribe</a></p>' })
  ).json;
  const campaign = (await api.call('POST', '/api/v1/campaigns', { name: 'c', template_id: template.id, from_email: 'a@example.com', audience: { list_ids: [list.id] } })).json;
  expect(campaign.id).toBeGreaterThan(0);
  return campaign.id;
}

describeEachDialect('users and sign-in', (get, dialect) => {
  it('signs in with the right password only, and answers alike for a wrong password, an unknown email and a disabled user', async () => {
    const { api, send, login, addUser, env } = await setup(get);
    const ann = await addUser('analyst');

    const ok = await login(` ${ann.email.toUpperCase()} `, ann.password);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ user: { id: ann.id, email: ann.email, role: 'analyst' }, account: { id: api.accountId, name: 'Acme' } });
    expect(ok.json.token).toMatch(/^hs_[A-Za-z0-9]{43}$/);
    expect(ok.json.permissions).toContain('campaigns:read');
    expect(ok.json.permissions).not.toContain('deliveries:start');
    expect(ok.json.expires_at).toBe(new Date(env.clock.now().getTime() + 12 * HOUR).toISOString());
    expect(String(ok.headers['set-cookie'])).toMatch(new RegExp(`^herald_session=${ok.json.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800`));
    // Only the hash of the token is stored.
    const stored = await env.store.db.selectFrom('sessions').selectAll().where('user_id', '=', ann.id).execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(ok.json.token);
    expect((await env.store.db.selectFrom('users').select('last_login_at').where('id', '=', ann.id).executeTakeFirstOrThrow()).last_login_at).toBe(env.clock.now().toISOString());

    const wrong = await login(ann.email, 'not the password');
    const unknown = await login('nobody@acme.test', ann.password);
    const disabledUser = await addUser('editor');
    expect((await api.call('PATCH', `/api/v1/users/${disabledUser.id}`, { disabled: true })).status).toBe(200);
    const disabled = await login(disabledUser.email, disabledUser.password);
    for (const r of [wrong, unknown, disabled]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: { code: 'unauthorized', message: 'the email or the password is wrong', field: null } });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    // Validation still names fields.
    expect((await send('POST', '/api/v1/auth/login', { body: { email: ann.email } })).json.error.field).toBe('password');
    await api.app.close();
  });

  it('accepts the session as Bearer token and as cookie; cookie writes need the X-Herald-Client header; /auth/me describes the caller', async () => {
    const { api, send, login, addUser } = await setup(get);
    const admin = await addUser('admin');
    const { token } = (await login(admin.email, admin.password)).json;

    const me = await send('GET', '/api/v1/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ kind: 'user', user: { id: admin.id, email: admin.email, role: 'admin' }, role: 'admin', account: { id: api.accountId, name: 'Acme' } });
    expect(me.json.roles.analyst).not.toContain('deliveries:start');
    expect(me.json.roles.sender).toContain('deliveries:start');
    const keyMe = await api.call('GET', '/api/v1/auth/me');
    expect(keyMe.json).toMatchObject({ kind: 'api_key', user: null, role: 'owner' });

    expect((await send('GET', '/api/v1/lists', { cookie: token })).status).toBe(200);
    const noHeader = await send('POST', '/api/v1/lists', { cookie: token, body: { name: 'by cookie' } });
    expect(noHeader.status).toBe(403);
    expect(noHeader.json.error).toMatchObject({ code: 'forbidden', field: 'x-herald-client' });
    const withHeader = await send('POST', '/api/v1/lists', { cookie: token, body: { name: 'by cookie' }, headers: { 'x-herald-client': 'dashboard' } });
    expect(withHeader.status).toBe(201);
    // A Bearer token is not sent by browsers on their own: no header needed.
    expect((await send('POST', '/api/v1/lists', { token, body: { name: 'by bearer' } })).status).toBe(201);

    expect((await send('GET', '/api/v1/lists', { token: 'hs_notarealsessiontokennotarealsessiontoken1' })).status).toBe(401);
    expect((await send('GET', '/api/v1/lists', { cookie: 'garbage' })).json.error.field).toBe('herald_session');
    await api.app.close();
  });

  it('slides the session expiry with use, caps it at 7 days, and logout revokes it and clears the cookie', async () => {
    const { api, send, login, addUser, env } = await setup(get);
    const u = await addUser('analyst');
    const start = env.clock.now().getTime();
    const { token } = (await login(u.email, u.password)).json;

    env.clock.advance(11 * HOUR);
    expect((await send('GET', '/api/v1/lists', { token })).status).toBe(200);
    env.clock.advance(11 * HOUR); // 22 h after sign-in, 11 h after the last use
    expect((await send('GET', '/api/v1/lists', { token })).status).toBe(200);
    const row = await env.store.db.selectFrom('sessions').select(['expires_at', 'last_seen_at']).where('user_id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.last_seen_at).toBe(env.clock.now().toISOString());
    expect(row.expires_at).toBe(new Date(env.clock.now().getTime() + 12 * HOUR).toISOString());
    env.clock.advance(12 * HOUR + 1000);
    expect((await send('GET', '/api/v1/lists', { token })).status).toBe(401);

    // Used every 10 hours, a session still ends 7 days after sign-in.
    env.clock.set(new Date(start).toISOString());
    const second = (await login(u.email, u.password)).json.token;
    let lastOk = 0;
    for (let h = 10; h <= 7 * 24 + 10; h += 10) {
      env.clock.set(new Date(start + h * HOUR).toISOString());
      if ((await send('GET', '/api/v1/lists', { token: second })).status === 200) lastOk = h;
    }
    expect(lastOk).toBe(160); // the use at 170 h is past the 168 h cap
    env.clock.set(new Date(start).toISOString());

    const third = (await login(u.email, u.password)).json.token;
    const noHeader = await send('POST', '/api/v1/auth/logout', { cookie: third });
    expect(noHeader.status).toBe(403);
    expect((await send('GET', '/api/v1/lists', { token: third })).status).toBe(200);
    const out = await send('POST', '/api/v1/auth/logout', { cookie: third, headers: { 'x-herald-client': 'dashboard' } });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ ok: true, revoked: true });
    expect(String(out.headers['set-cookie'])).toMatch(/^herald_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect((await send('GET', '/api/v1/lists', { token: third })).status).toBe(401);
    expect((await send('POST', '/api/v1/auth/logout', { token: third })).json).toEqual({ ok: true, revoked: false });
    await api.app.close();
  });

  it('disabling a user ends their sessions at once; a role change applies to the next request', async () => {
    const { api, send, login, addUser, env } = await setup(get);
    const u = await addUser('editor');
    const { token } = (await login(u.email, u.password)).json;
    expect((await send('POST', '/api/v1/lists', { token, body: { name: 'x' } })).status).toBe(201);

    expect((await api.call('PATCH', `/api/v1/users/${u.id}`, { role: 'analyst' })).json.role).toBe('analyst');
    expect((await send('POST', '/api/v1/lists', { token, body: { name: 'y' } })).status).toBe(403);

    const disabled = await api.call('PATCH', `/api/v1/users/${u.id}`, { disabled: true });
    expect(disabled.json).toMatchObject({ disabled: true });
    expect((await send('GET', '/api/v1/lists', { token })).status).toBe(401);
    // Enabling again does not bring the old session back.
    expect((await api.call('PATCH', `/api/v1/users/${u.id}`, { disabled: false })).json.disabled).toBe(false);
    expect((await send('GET', '/api/v1/lists', { token })).status).toBe(401);
    const fresh = (await login(u.email, u.password)).json.token;
    expect((await send('GET', '/api/v1/lists', { token: fresh })).status).toBe(200);
    // Whoever sets disabled_at (another process, an old version), the session check reads the user row.
    await env.store.db.updateTable('users').set({ disabled_at: env.clock.now().toISOString() }).where('id', '=', u.id).execute();
    expect((await send('GET', '/api/v1/lists', { token: fresh })).status).toBe(401);
    await env.store.db.updateTable('users').set({ disabled_at: null }).where('id', '=', u.id).execute();

    // Deleting: gone from lists, cannot sign in, email free again; the id stays taken.
    expect((await api.call('DELETE', `/api/v1/users/${u.id}`)).json).toEqual({ deleted: true, id: u.id });
    expect((await login(u.email, u.password)).status).toBe(401);
    expect((await api.call('GET', `/api/v1/users/${u.id}`)).status).toBe(404);
    expect((await api.call('GET', '/api/v1/users')).json.items.map((x: { id: number }) => x.id)).not.toContain(u.id);
    const again = await api.call('POST', '/api/v1/users', { email: u.email, role: 'analyst', password: 'another long one' });
    expect(again.status).toBe(201);
    expect(again.json.user.id).toBeGreaterThan(u.id);
    await api.app.close();
  });

  it('enforces roles: an analyst who tries to send is told which roles can; a sender can send', async () => {
    const { api, send, login, addUser } = await setup(get);
    const campaignId = await sendableCampaign(api);
    const analyst = await addUser('analyst');
    const sender = await addUser('sender');
    const a = (await login(analyst.email, analyst.password)).json.token;
    const s = (await login(sender.email, sender.password)).json.token;

    const denied = await send('POST', `/api/v1/campaigns/${campaignId}/send`, { token: a, body: {} });
    expect(denied.status).toBe(403);
    expect(denied.json.error).toEqual({
      code: 'forbidden',
      message: 'this needs the permission deliveries:start, held by the roles owner, admin, sender; you have the role analyst',
      field: null,
      details: { permission: 'deliveries:start', roles: ['owner', 'admin', 'sender'] },
    });
    expect((await api.call('GET', `/api/v1/campaigns/${campaignId}`)).json.status).toBe('draft');

    const sent = await send('POST', `/api/v1/campaigns/${campaignId}/send`, { cookie: s, body: {}, headers: { 'x-herald-client': 'dashboard' } });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    // Users' management is for owners and admins only; roles are visible to everyone.
    expect((await send('GET', '/api/v1/users', { token: s })).status).toBe(403);
    const roles = await send('GET', '/api/v1/roles', { token: a });
    expect(roles.status).toBe(200);
    expect(roles.json.roles.sender).toContain('deliveries:start');
    await api.app.close();
  });

  it('keeps the last active owner, checks emails, roles and passwords, and audits every change', async () => {
    const { api, env, login } = await setup(get);
    const created = await api.call('POST', '/api/v1/users', { email: '  Olga@Acme.TEST ', name: 'Olga', role: 'owner' });
    expect(created.status).toBe(201);
    expect(created.json.user).toMatchObject({ email: 'olga@acme.test', name: 'Olga', role: 'owner', disabled: false });
    expect(created.json.user).not.toHaveProperty('password_hash');
    const generated: string = created.json.password;
    expect(generated).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await login('olga@acme.test', generated)).status).toBe(200);
    const olga = created.json.user.id;
    const hash = (await env.store.db.selectFrom('users').select('password_hash').where('id', '=', olga).executeTakeFirstOrThrow()).password_hash;
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(JSON.stringify((await api.call('GET', '/api/v1/users')).json)).not.toContain('argon2');

    for (const [change, field] of [
      [{ role: 'admin' }, 'role'],
      [{ disabled: true }, 'disabled'],
    ] as const) {
      const r = await api.call('PATCH', `/api/v1/users/${olga}`, change);
      expect(r.status).toBe(409);
      expect(r.json.error).toMatchObject({ code: 'invalid_state', field });
      expect(r.json.error.message).toMatch(/olga@acme.test is the last active owner/);
    }
    const del = await api.call('DELETE', `/api/v1/users/${olga}`);
    expect(del.json.error).toMatchObject({ code: 'invalid_state', field: 'id' });
    // With a second owner the first may step down.
    const second = await api.call('POST', '/api/v1/users', { email: 'pia@acme.test', role: 'owner', password: 'pia-password-1' });
    expect((await api.call('PATCH', `/api/v1/users/${olga}`, { role: 'admin', name: 'Olga A.' })).json).toMatchObject({ role: 'admin', name: 'Olga A.' });
    expect((await api.call('PATCH', `/api/v1/users/${second.json.user.id}`, { disabled: true })).status).toBe(409);
    // The other account's owner does not count for this one.
    expect((await api.call('POST', '/api/v1/users', { email: 'boss@other.test', role: 'owner', password: 'other-boss-pw' }, api.otherKey)).status).toBe(201);
    expect((await api.call('DELETE', `/api/v1/users/${second.json.user.id}`)).status).toBe(409);

    const bad = [
      [{ email: 'not-an-email', role: 'analyst' }, 422, 'email'],
      [{ email: 'x@acme.test', role: 'boss' }, 400, 'role'],
      [{ email: 'x@acme.test', role: 'analyst', password: 'short' }, 422, 'password'],
      [{ email: 'PIA@acme.test', role: 'analyst' }, 409, 'email'],
      [{ email: 'boss@other.test', role: 'analyst' }, 409, 'email'],
    ] as const;
    const before = await env.store.db.selectFrom('users').select('id').execute();
    for (const [body, status, field] of bad) {
      const r = await api.call('POST', '/api/v1/users', body);
      expect(r.status, JSON.stringify(r.json)).toBe(status);
      expect(r.json.error.field).toBe(field);
    }
    expect(await env.store.db.selectFrom('users').select('id').execute()).toEqual(before);
    expect((await api.call('POST', `/api/v1/users/${olga}/password`, { password: 'too short' })).json.error).toMatchObject({ field: 'password' });

    const reset = await api.call('POST', `/api/v1/users/${olga}/password`, { password: 'a brand new password' });
    expect(reset.status).toBe(200);
    expect(reset.json.password).toBeNull();
    expect((await login('olga@acme.test', generated)).status).toBe(401);
    expect((await login('olga@acme.test', 'a brand new password')).status).toBe(200);

    const audit = (await api.call('GET', '/api/v1/audit-log?action=user.&limit=100')).json.items;
    const actions = audit.map((e: { action: string; subject: string }) => `${e.action} ${e.subject}`);
    expect(actions).toEqual(
      expect.arrayContaining([`user.create user:${olga}`, `user.update user:${olga}`, `user.password user:${olga}`, `user.create user:${second.json.user.id}`]),
    );
    const update = audit.find((e: { action: string }) => e.action === 'user.update');
    expect(update.data.changes).toEqual({ name: { from: 'Olga', to: 'Olga A.' }, role: { from: 'owner', to: 'admin' } });
    expect(update.actor).toMatch(/^api_key:\d+$/);
    expect(JSON.stringify(audit)).not.toContain('a brand new password');
    await api.app.close();
  });

  it('throttles repeated failures per email, tells how long to wait, and lets a user change their own password', async () => {
    const { api, send, login, addUser, env } = await setup(get);
    const u = await addUser('sender');
    for (let i = 0; i < 10; i++) expect((await login(u.email, `wrong guess ${i}`)).status).toBe(401);
    const blocked = await login(u.email, u.password);
    expect(blocked.status).toBe(429);
    expect(blocked.json.error).toMatchObject({ code: 'too_many_requests', field: 'email', details: { retry_after_seconds: 900 } });
    expect(blocked.headers['retry-after']).toBe('900');
    // Unknown emails are throttled alike (the throttle does not reveal who has an account).
    for (let i = 0; i < 10; i++) await login('ghost@acme.test', 'whatever it is');
    expect((await login('ghost@acme.test', 'whatever it is')).status).toBe(429);
    env.clock.advance(15 * 60_000 + 1000);
    const ok = await login(u.email, u.password);
    expect(ok.status).toBe(200);

    const other = (await login(u.email, u.password)).json.token;
    const wrongCurrent = await send('POST', '/api/v1/auth/password', { token: ok.json.token, body: { current_password: 'nope nope nope', new_password: 'a fresh password' } });
    expect(wrongCurrent.json.error).toMatchObject({ code: 'invalid_input', field: 'current_password' });
    const short = await send('POST', '/api/v1/auth/password', { token: ok.json.token, body: { current_password: u.password, new_password: 'short' } });
    expect(short.json.error).toMatchObject({ field: 'new_password' });
    const changed = await send('POST', '/api/v1/auth/password', { token: ok.json.token, body: { current_password: u.password, new_password: 'a fresh password' } });
    expect(changed.json).toEqual({ changed: true, other_sessions_ended: 1 });
    expect((await send('GET', '/api/v1/lists', { token: ok.json.token })).status).toBe(200);
    expect((await send('GET', '/api/v1/lists', { token: other })).status).toBe(401);
    expect((await login(u.email, 'a fresh password')).status).toBe(200);
    // An API key has no password of its own.
    expect((await api.call('POST', '/api/v1/auth/password', { current_password: 'x', new_password: 'yyyyyyyyyyyy' })).status).toBe(409);
    await api.app.close();
  });

  it('manages API keys: any role, listed without the key, revoked at once', async () => {
    const { api, send, login, addUser } = await setup(get);
    const created = await api.call('POST', '/api/v1/api-keys', { name: 'reporting', role: 'analyst' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ role: 'analyst', prefix: created.json.key.slice(0, 11) });
    expect((await api.call('GET', '/api/v1/lists', undefined, created.json.key)).status).toBe(200);
    expect((await api.call('POST', '/api/v1/lists', { name: 'x' }, created.json.key)).status).toBe(403);
    const listed = (await api.call('GET', '/api/v1/api-keys')).json.items;
    const row = listed.find((k: { id: number }) => k.id === created.json.id);
    expect(row).toMatchObject({ name: 'reporting', role: 'analyst', prefix: created.json.prefix, revoked_at: null });
    expect(row.last_used_at).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.json.key);
    expect((await api.call('POST', '/api/v1/api-keys', { name: 'x', role: 'boss' })).status).toBe(400);
    // Managing keys needs users:manage: an editor's session cannot.
    const editor = await addUser('editor');
    const token = (await login(editor.email, editor.password)).json.token;
    expect((await send('GET', '/api/v1/api-keys', { token })).json.error.details.roles).toEqual(['owner', 'admin']);

    const revoked = await api.call('DELETE', `/api/v1/api-keys/${created.json.id}`);
    expect(revoked.json.revoked_at).not.toBeNull();
    expect((await api.call('GET', '/api/v1/lists', undefined, created.json.key)).status).toBe(401);
    expect((await api.call('DELETE', `/api/v1/api-keys/${created.json.id}`, undefined, api.otherKey)).status).toBe(404);
    const audit = (await api.call('GET', '/api/v1/audit-log?action=api_key.')).json.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['api_key.create', 'api_key.revoke']);
    await api.app.close();
  });

  it('the CLI acts as a user with --as: their role is checked and they are the author in the audit log', async () => {
    const { api, addUser, env } = await setup(get);
    expect(commandWord(['node', 'herald', '--as', 'users', 'api-keys', 'list'])).toBe('api-keys');
    const admin = await addUser('admin');
    const analyst = await addUser('analyst');

    const asAdmin = await runCli(env.url, ['--as', admin.email, '--json', 'api-keys', 'create', '--name', 'from cli', '--role', 'sender']);
    expect(asAdmin.code, asAdmin.stderr).toBe(0);
    const key = JSON.parse(asAdmin.stdout);
    expect(key.role).toBe('sender');
    const entry = await env.store.db.selectFrom('audit_log').selectAll().where('subject', '=', `api_key:${key.id}`).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ account_id: api.accountId, actor: `user:${admin.id}`, action: 'api_key.create' });

    const asAnalyst = await runCli(env.url, ['--as', analyst.email, 'users', 'list']);
    expect(asAnalyst.code).toBe(2);
    expect(asAnalyst.stderr).toMatch(/users:manage, held by the roles owner, admin; .* has the role analyst/);

    // Every command checks the --as user's role like the API route that does the same.
    const send = await runCli(env.url, ['--as', analyst.email, 'campaigns', 'send', '1']);
    expect(send.code).toBe(2);
    expect(send.stderr).toMatch(/deliveries:start, held by the roles owner, admin, sender; .* has the role analyst/);

    // Without --as the CLI is the owner; a password comes on stdin.
    const added = await runCli(env.url, ['--account', String(api.accountId), 'users', 'add', 'cli-made@acme.test', '--role', 'sender', '--password-stdin'], 'piped password 1\n');
    expect(added.code, added.stderr).toBe(0);
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'cli-made@acme.test', password: 'piped password 1' } });
    expect(res.statusCode).toBe(200);

    const disabledRun = await runCli(env.url, ['users', 'disable', 'cli-made@acme.test', '--as', admin.email]);
    expect(disabledRun.code, disabledRun.stderr).toBe(0);
    const unknownAs = await runCli(env.url, ['--as', 'cli-made@acme.test', 'users', 'list']);
    expect(unknownAs.stderr).toMatch(/--as: the user cli-made@acme.test is disabled/);
    await api.app.close();
  });

  it('the CLI piped into a reader that stops early (| head) ends quietly', async () => {
    const { api } = await setup(get);
    const env = get();
    const child = spawn(process.execPath, [path.join(ROOT, 'src/main.ts'), '--account', String(api.accountId), 'users', 'list'], {
      cwd: ROOT,
      env: { ...process.env, HERALD_DATABASE_URL: env.url, HERALD_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the first line
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
    await api.app.close();
  });

  it('names a permission for real CLI commands only', async () => {
    const program = await buildProgram(['node', 'herald']);
    const paths: string[] = [];
    const walk = (c: Command) => {
      if (c.parent && c.commands.length === 0) paths.push(commandPath(c));
      for (const sub of c.commands) walk(sub);
    };
    walk(program);
    for (const key of Object.keys(COMMAND_PERMISSIONS)) expect(paths, `${key} is not a command`).toContain(key);
    expect(paths).toContain('campaigns send');
    // Every command that acts on an account is checked under --as: a missing entry let an editor
    // approve (`campaigns approve`), confirm runs or send one-off messages from a terminal.
    // Process roles take no --as; users and api-keys pass users:manage themselves.
    const unchecked = paths.filter(
      (p) => !(p in COMMAND_PERMISSIONS) && !['start', 'serve', 'worker', 'inbound', 'migrate'].includes(p) && !/^(users|api-keys) /.test(p),
    );
    expect(unchecked).toEqual([]);
    // the same permission as GET /api/v1/audit-log
    expect(COMMAND_PERMISSIONS.audit).toBe('audit:read');
  });

  it('with --as, the issue-5 commands check the same permission as their API routes', async () => {
    const { api, addUser } = await setup(get);
    const env = get();
    const editor = await addUser('editor');
    const analyst = await addUser('analyst');
    const approve = await runCli(env.url, ['--account', String(api.accountId), '--as', editor.email, 'campaigns', 'approve', '1']);
    expect(approve.code).toBe(2);
    expect(approve.stderr).toMatch(/--as: this needs the permission deliveries:start, held by the roles owner, admin, sender; .* has the role editor/);
    const message = await runCli(env.url, ['--as', analyst.email, 'messages', 'send', '--to', 'a@acme.test', '--subject', 'x', '--text-file', 'README.md']);
    expect(message.stderr).toMatch(/--as: this needs the permission messages:send/);
    // show-or-set commands: showing needs the read permission, setting the write one
    const showSchedule = await runCli(env.url, ['--as', analyst.email, 'campaigns', 'schedule', '999']);
    expect(showSchedule.stderr).not.toMatch(/--as:/);
    const setSchedule = await runCli(env.url, ['--as', analyst.email, 'campaigns', 'schedule', '999', '--cron', '0 9 * * 1']);
    expect(setSchedule.stderr).toMatch(/--as: this needs the permission campaigns:write/);
    const catchUp = await runCli(env.url, ['--as', editor.email, 'campaigns', 'catch-up', '999', '--send']);
    expect(catchUp.stderr).toMatch(/--as: this needs the permission deliveries:start/);
    // a user subscribes themselves: --as is enough, --user is for naming someone else
    const own = await runCli(env.url, ['--as', analyst.email, 'notifications', 'subscribe', '--kinds', 'import_failed']);
    expect(own.stderr).toBe('');
    expect(own.stdout).toContain(`${analyst.email} gets notifications by email: import_failed`);
    // links verify takes the purpose the app expects, as POST /api/v1/personal-links/verify does
    const contact = (await api.call('POST', '/api/v1/contacts', { email: 'linked@acme.test' })).json;
    const token = signPersonalLink(loadConfig().secret, { accountId: api.accountId, contactId: contact.id, expiresAt: new Date(Date.now() + HOUR), purpose: 'login' });
    const acct = ['--account', String(api.accountId)];
    expect((await runCli(env.url, [...acct, 'links', 'verify', token, '--purpose', 'login'])).stdout).toContain(`valid login link for contact ${contact.id}`);
    expect((await runCli(env.url, [...acct, 'links', 'verify', token, '--purpose', 'reset'])).stderr).toContain('error: purpose: the link is for "login", not "reset"');
    // under the approval rule `campaigns send` becomes a request: it says so and who may approve
    expect((await api.call('PUT', '/api/v1/account/approval', { required: true, four_eyes: true })).status).toBe(200);
    const campaignId = await sendableCampaign(api);
    const sender = await addUser('sender');
    const requested = await runCli(env.url, ['--as', sender.email, 'campaigns', 'send', String(campaignId)]);
    expect(requested.stdout).toContain(`campaign ${campaignId} is awaiting_approval`);
    expect(requested.stdout).toContain(`campaign ${campaignId} awaits approval: this account requires approval before a launch`);
    const nobody = await runCli(env.url, ['--account', String(api.accountId), 'notifications', 'subscribe']);
    expect(nobody.stderr).toMatch(/--user: name the user/);
    await api.app.close();
  });

  it('creates the first owner on first start, with the configured or a generated password, once', async () => {
    const fresh = await createTestEnv(dialect, { HERALD_ARGON2_MEMORY_KIB: '64', HERALD_ARGON2_TIME_COST: '1' });
    try {
      const first = await bootstrapDefaultAccount(fresh.deps);
      expect(first.newAdmin?.email).toBe('admin@localhost');
      expect(first.newAdmin?.password).toMatch(/^[A-Za-z0-9]{20}$/);
      expect((await bootstrapDefaultAccount(fresh.deps)).newAdmin).toBeNull();
      const signIn = await login(fresh.deps, { email: 'admin@localhost', password: first.newAdmin?.password as string });
      expect(signIn.user.role).toBe('owner');
      expect(signIn.account.id).toBe(first.accountId);
    } finally {
      await fresh.store.close();
    }
    const configured = await createTestEnv(dialect, { HERALD_ADMIN_EMAIL: 'Boss@Example.com', HERALD_ADMIN_PASSWORD: 'configured password', HERALD_ARGON2_MEMORY_KIB: '64' });
    try {
      expect((await bootstrapDefaultAccount(configured.deps)).newAdmin).toEqual({ email: 'boss@example.com', password: null });
      expect((await login(configured.deps, { email: 'boss@example.com', password: 'configured password' })).user.email).toBe('boss@example.com');
    } finally {
      await configured.store.close();
    }
  });

  it('hashes with argon2id at OWASP cost by default', async () => {
    const { loadConfig } = await import('../src/config/load-config.ts');
    const config = loadConfig({});
    expect(config.passwordHashing).toEqual({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
    expect(config.sessionHours).toBe(12);
    expect(config.admin).toEqual({ email: 'admin@localhost', password: null });
    expect(() => loadConfig({ HERALD_ADMIN_PASSWORD: 'short' })).toThrow(/HERALD_ADMIN_PASSWORD: must be at least 10/);
    const { hashPassword } = await import('../src/app/users/passwords.ts');
    const h = await hashPassword({ config } as never, 'some password here');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
