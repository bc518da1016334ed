// Sender domains and DKIM keys through the API: validation by field, no private key ever in a
// response, the DNS record derived from the stored key, and one account never seeing another's.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dkimDnsRecord, generateDkimKey, normalizeDkimPrivateKey } from '../src/app/sender-domains/dkim-keys.ts';
import { normalizeSenderDomain } from '../src/app/sender-domains/domain-name.ts';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';

describe('DKIM keys', () => {
  it('generates a 2048-bit RSA key whose DNS record holds its public key', () => {
    const { privateKeyPem, dnsRecord } = generateDkimKey();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(dnsRecord).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    const published = createPublicKey({ key: Buffer.from(dnsRecord.split('p=')[1], 'base64'), format: 'der', type: 'spki' });
    expect(published.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(published.export({ type: 'spki', format: 'pem' })).toBe(createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }));
  });

  it('accepts PKCS#1 and PKCS#8 RSA keys and refuses the rest by field', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const normalized = normalizeDkimPrivateKey(pkcs1, 'dkim_private_key');
    expect(normalized).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(dkimDnsRecord(normalized)).toBe(dkimDnsRecord(rsa.privateKey));

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const weak = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    const publicOnly = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const [pem, message] of [
      [ec, /RSA/],
      [weak, /512-bit/],
      [encrypted, /encrypted/],
      [publicOnly, /PEM private key/],
      ['-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----', /readable/],
    ] as const) {
      expect(() => normalizeDkimPrivateKey(pem, 'dkim_private_key')).toThrow(message);
      try {
        normalizeDkimPrivateKey(pem, 'dkim_private_key');
      } catch (err) {
        expect(err).toMatchObject({ code: 'invalid_input', field: 'dkim_private_key' });
      }
    }
  });

  it('normalizes domain names and explains bad ones', () => {
    expect(normalizeSenderDomain(' News.Acme.Example. ')).toBe('news.acme.example');
    expect(normalizeSenderDomain('müller.de')).toBe('xn--mller-kva.de');
    expect(() => normalizeSenderDomain('news@acme.example')).toThrow(/only the domain/);
    expect(() => normalizeSenderDomain('localhost')).toThrow(/not a valid domain/);
    expect(() => normalizeSenderDomain('acme..example')).toThrow(/empty label/);
    expect(() => normalizeSenderDomain('-acme.example')).toThrow(/not a valid domain/);
  });
});

describeEachDialect('sender domains API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(get());
  });

  it('adds a domain with a generated key and never returns the private key', async () => {
    const res = await api.call('POST', '/api/v1/sender-domains', { domain: 'Acme.example', generate_dkim: true });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      domain: 'acme.example',
      dkim_selector: 'herald',
      dkim_enabled: true,
      dkim_dns_record: { name: 'herald._domainkey.acme.example', type: 'TXT' },
    });
    expect(res.json.dkim_dns_record.value).toMatch(/^v=DKIM1; k=rsa; p=/);
    expect(JSON.stringify(res.json)).not.toMatch(/PRIVATE KEY|dkim_private_key/);

    const list = await api.call('GET', '/api/v1/sender-domains');
    expect(list.status).toBe(200);
    expect(list.json.items.map((d: any) => d.domain)).toContain('acme.example');
    expect(JSON.stringify(list.json)).not.toMatch(/PRIVATE KEY/);
    const one = await api.call('GET', `/api/v1/sender-domains/${res.json.id}`);
    expect(one.json.dkim_dns_record.value).toBe(res.json.dkim_dns_record.value);
  });

  it('updates the same domain instead of adding it twice, keeping what the input leaves out', async () => {
    const first = await api.call('POST', '/api/v1/sender-domains', { domain: 'keep.example', generate_dkim: true, dkim_selector: 's1' });
    const again = await api.call('POST', '/api/v1/sender-domains', { domain: 'KEEP.example' });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.dkim_selector).toBe('s1');
    expect(again.json.dkim_dns_record.value).toBe(first.json.dkim_dns_record.value);

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const brought = await api.call('POST', '/api/v1/sender-domains', { domain: 'keep.example', dkim_selector: 'mine', dkim_private_key: pem });
    expect(brought.json).toMatchObject({ id: first.json.id, dkim_selector: 'mine', dkim_dns_record: { name: 'mine._domainkey.keep.example' } });
    expect(brought.json.dkim_dns_record.value).toBe(dkimDnsRecord(privateKey));
  });

  it('names the field that is wrong and writes nothing', async () => {
    const before = (await api.call('GET', '/api/v1/sender-domains')).json.items.length;
    const cases: Array<[unknown, string]> = [
      [{ domain: 'not a domain' }, 'domain'],
      [{ domain: 'a.example', dkim_private_key: 'garbage' }, 'dkim_selector'],
      [{ domain: 'a.example', dkim_selector: 's', dkim_private_key: 'garbage' }, 'dkim_private_key'],
      [{ domain: 'a.example', dkim_selector: 'bad selector!' }, 'dkim_selector'],
      [{ domain: 'a.example', generate_dkim: true, dkim_selector: 's', dkim_private_key: 'x' }, 'generate_dkim'],
    ];
    for (const [body, field] of cases) {
      const res = await api.call('POST', '/api/v1/sender-domains', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.error.field).toBe(field);
    }
    const unknownField = await api.call('POST', '/api/v1/sender-domains', { domain: 'a.example', dkim_public_key: 'x' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.error.field).toBe('dkim_public_key');
    expect((await api.call('GET', '/api/v1/sender-domains')).json.items.length).toBe(before);
  });

  it('rotates the key on request (new record) and deletes the domain', async () => {
    const created = await api.call('POST', '/api/v1/sender-domains', { domain: 'rotate.example', generate_dkim: true });
    const rotated = await api.call('POST', `/api/v1/sender-domains/${created.json.id}/dkim`, { dkim_selector: 'r2' });
    expect(rotated.status).toBe(200);
    expect(rotated.json.dkim_dns_record.name).toBe('r2._domainkey.rotate.example');
    expect(rotated.json.dkim_dns_record.value).not.toBe(created.json.dkim_dns_record.value);
    const sameSelector = await api.call('POST', `/api/v1/sender-domains/${created.json.id}/dkim`, {});
    expect(sameSelector.status).toBe(200);
    expect(sameSelector.json.dkim_selector).toBe('r2');
    expect(sameSelector.json.dkim_dns_record.value).not.toBe(rotated.json.dkim_dns_record.value);

    expect((await api.call('DELETE', `/api/v1/sender-domains/${created.json.id}`)).status).toBe(200);
    expect((await api.call('GET', `/api/v1/sender-domains/${created.json.id}`)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/sender-domains/${created.json.id}`)).status).toBe(404);
  });

  it("keeps each account's domains to itself", async () => {
    const mine = await api.call('POST', '/api/v1/sender-domains', { domain: 'private.example', generate_dkim: true });
    const id = mine.json.id;
    const other = api.otherKey;
    expect((await api.call('GET', '/api/v1/sender-domains', undefined, other)).json.items.map((d: any) => d.domain)).not.toContain('private.example');
    expect((await api.call('GET', `/api/v1/sender-domains/${id}`, undefined, other)).status).toBe(404);
    expect((await api.call('POST', `/api/v1/sender-domains/${id}/dkim`, {}, other)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/sender-domains/${id}`, undefined, other)).status).toBe(404);
    // The same domain may belong to another account too (each signs with its own key).
    const theirs = await api.call('POST', '/api/v1/sender-domains', { domain: 'private.example', generate_dkim: true }, other);
    expect(theirs.status).toBe(200);
    expect(theirs.json.id).not.toBe(id);
    expect((await api.call('GET', `/api/v1/sender-domains/${id}`)).json.dkim_dns_record.value).toBe(mine.json.dkim_dns_record.value);
  });
});
