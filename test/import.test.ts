import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/app/accounts/bootstrap.ts';
import { saveContact } from '../src/app/contacts/save-contact.ts';
import type { Actor } from '../src/app/deps.ts';
import { mapCsvHeader, sniffDelimiter, toSnakeCase } from '../src/app/imports/csv-columns.ts';
import { importContactsCsv } from '../src/app/imports/import-contacts-csv.ts';
import { createList } from '../src/app/lists/save-list.ts';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';

const fixture = (name: string) => fs.createReadStream(path.join(import.meta.dirname, 'fixtures/import', name));

describe('CSV header', () => {
  it.each([
    ['First Name', 'first_name'],
    ['firstName', 'first_name'],
    ['E-Mail', 'e_mail'],
    ['  Straße ', 'strasse'],
    ['Kundennr.', 'kundennr'],
    ['Café', 'cafe'],
  ])('normalizes %j to %j', (raw, snake) => {
    expect(toSnakeCase(raw)).toBe(snake);
  });

  it('maps synonyms to fields and the rest to attributes', () => {
    expect(mapCsvHeader(['E-Mail', 'Mobile', 'Vorname', 'Last Name', 'Time Zone', 'Language', 'Customer Tier', 'attributes.email'])).toEqual([
      { header: 'E-Mail', field: 'email', name: 'email' },
      { header: 'Mobile', field: 'phone', name: 'phone' },
      { header: 'Vorname', field: 'first_name', name: 'first_name' },
      { header: 'Last Name', field: 'last_name', name: 'last_name' },
      { header: 'Time Zone', field: 'timezone', name: 'timezone' },
      { header: 'Language', field: 'locale', name: 'locale' },
      { header: 'Customer Tier', field: null, name: 'customer_tier' },
      { header: 'attributes.email', field: null, name: 'email' },
    ]);
  });

  it.each([
    [['name', 'city'], 'header', 'no email or phone column (found "name", "city")'],
    [['email', 'E-Mail'], 'header column 2', 'columns 1 ("email") and 2 ("E-Mail") both mean email'],
    [['email', ''], 'header column 2', 'column 2 has no name'],
    [['email', '2FA'], 'header column 2', 'cannot be an attribute name'],
    [['email', 'Gr\uFFFD\uFFFDe'], 'header column 2', 'not valid UTF-8'],
  ])('refuses %j naming %s', (header, field, message) => {
    expect(() => mapCsvHeader(header)).toThrow(expect.objectContaining({ field, message: expect.stringContaining(message) }));
  });

  it.each([
    ['email,name\n', ','],
    ['E-Mail;Vorname;Nachname\n', ';'],
    ['email\tname\r\n', '\t'],
    ['email\n', ','],
    ['"a;b",c\n', ','],
    ['email;"last, first"\n', ';'],
  ])('sniffs the delimiter of %j', (head, delimiter) => {
    expect(sniffDelimiter(head)).toBe(delimiter);
  });
});

describeEachDialect('CSV import', (get) => {
  let actor: Actor;
  beforeAll(async () => {
    actor = { accountId: await createAccount(get().deps, { name: 'Importer' }), role: 'owner', label: 'test' };
  });

  const contactByEmail = (email: string) =>
    get().store.db.selectFrom('contacts').selectAll().where('account_id', '=', actor.accountId).where('email', '=', email).executeTakeFirst();

  it('imports the good rows and names line and field of every bad one', async () => {
    const progress: number[] = [];
    const job = await importContactsCsv(get().deps, actor, {
      stream: fixture('every-bad-row.csv'),
      source: 'test',
      batchSize: 2,
      onProgress: (p) => progress.push(p.imported),
    });
    expect(job).toMatchObject({ status: 'completed', total_rows: 13, imported_rows: 5, failed_rows: 8 });
    expect(job.errors).toEqual([
      { line: 3, field: 'email', reason: 'not-an-email: missing @' },
      { line: 4, field: 'phone', reason: expect.stringContaining('0151 234: has no country code') },
      { line: 6, field: 'timezone', reason: expect.stringContaining('"Mars/Olympus" is not an IANA time zone') },
      { line: 7, field: 'row', reason: expect.stringContaining('stray quote') },
      { line: 8, field: 'row', reason: 'has 8 fields, the header has 7' },
      { line: 9, field: 'email', reason: 'the row has neither an email nor a phone number' },
      { line: 10, field: 'row', reason: expect.stringContaining('stray quote') },
      { line: 15, field: 'row', reason: 'has 4 fields, the header has 7' },
    ]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(5);

    // Line 11 repeats line 2's email: the later row wins, empty cells keep earlier values.
    expect(await contactByEmail('anna@example.com')).toMatchObject({
      phone: '+4915112345678',
      first_name: 'Anna',
      last_name: 'Schmidt-Neu',
      timezone: 'Europe/Berlin',
      locale: 'de-DE',
    });
    expect(JSON.parse((await contactByEmail('anna@example.com'))!.attributes)).toEqual({ customer_tier: 'platinum' });
    expect(await contactByEmail('ida@example.com')).toMatchObject({ last_name: 'Multi\nLine' });
    expect(await contactByEmail('jonas@example.com')).toMatchObject({ locale: 'en-GB' });
    // A phone-only row is kept (F0.2): reachable by SMS, not by email.
    const phoneOnly = await get().store.db.selectFrom('contacts').selectAll().where('account_id', '=', actor.accountId).where('phone', '=', '+4915112345679').executeTakeFirst();
    expect(phoneOnly).toMatchObject({ email: null, first_name: 'Dieter' });
    for (const rejected of ['carla@example.com', 'emil@example.com', 'frida@example.com', 'gustav@example.com', 'heidi@example.com', 'kurt@example.com']) {
      expect(await contactByEmail(rejected)).toBeUndefined();
    }

    const stored = await get().store.db.selectFrom('import_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'completed', total_rows: 13, imported_rows: 5, failed_rows: 8, source: 'test' });
    expect(JSON.parse(stored.errors)).toHaveLength(8);
    expect(stored.finished_at).toBe(get().clock.now().toISOString());
  });

  it('reports an unclosed quote at the line it opens, keeping the rows before it', async () => {
    const job = await importContactsCsv(get().deps, actor, { stream: fixture('unclosed-quote.csv'), source: 'test' });
    expect(job).toMatchObject({ status: 'completed', total_rows: 2, imported_rows: 1, failed_rows: 1 });
    expect(job.errors).toEqual([{ line: 3, field: 'row', reason: expect.stringContaining('never closed; lines 3–5') }]);
    expect(await contactByEmail('a@example.com')).toBeDefined();
  });

  it('reads a UTF-8 BOM and CRLF line ends, counting lines across a blank one', async () => {
    const job = await importContactsCsv(get().deps, actor, { stream: fixture('bom-crlf.csv'), source: 'test' });
    expect(job).toMatchObject({ status: 'completed', total_rows: 4, imported_rows: 3, failed_rows: 1 });
    expect(job.errors).toEqual([{ line: 5, field: 'email', reason: 'broken@example: domain has no dot' }]);
    const juergen = await contactByEmail('juergen@example.com');
    expect(juergen).toMatchObject({ first_name: 'Jürgen', last_name: 'Groß' });
    expect(JSON.parse(juergen!.attributes)).toEqual({ city: 'München' });
    expect(JSON.parse((await contactByEmail('last@example.com'))!.attributes)).toEqual({ city: 'Köln' });
  });

  it('rejects cells that are not UTF-8 (a Latin-1 file) and imports the rest', async () => {
    const job = await importContactsCsv(get().deps, actor, { stream: fixture('latin1.csv'), source: 'test' });
    expect(job).toMatchObject({ status: 'completed', total_rows: 3, imported_rows: 1, failed_rows: 2 });
    expect(job.errors).toEqual([
      { line: 2, field: 'last_name', reason: 'invalid UTF-8 (file is not UTF-8 encoded?)' },
      { line: 2, field: 'city', reason: 'invalid UTF-8 (file is not UTF-8 encoded?)' },
      { line: 4, field: 'last_name', reason: 'invalid UTF-8 (file is not UTF-8 encoded?)' },
    ]);
    expect(await contactByEmail('bob@example.com')).toMatchObject({ last_name: 'Smith' });
    expect(await contactByEmail('anna@example.com')).not.toMatchObject({ last_name: expect.stringContaining('\uFFFD') });
  });

  it('reads semicolon files with German headers; attributes stay text', async () => {
    const job = await importContactsCsv(get().deps, actor, { stream: fixture('semicolon.csv'), source: 'test' });
    expect(job).toMatchObject({ status: 'completed', imported_rows: 2, failed_rows: 0 });
    const max = await contactByEmail('max@example.com');
    expect(max).toMatchObject({ first_name: 'Max', last_name: 'Müller, Dr.', phone: '+491701234567' });
    expect(JSON.parse(max!.attributes)).toEqual({ kundennummer: '01067' });
  });

  it('subscribes imported contacts to a list, never re-subscribing someone who unsubscribed', async () => {
    const { deps, store } = get();
    const list = await createList(deps, actor, { name: 'Imported' });
    // The same address in another account must not be touched or subscribed.
    const elsewhere = { accountId: await createAccount(deps, { name: 'Elsewhere' }), role: 'owner', label: 'test' };
    const twin = await saveContact(deps, elsewhere, { email: 'sub-b@example.com', phone: '+4917099887766', first_name: 'Twin' });
    const csv = 'email,phone,first_name\nsub-a@example.com,,A\nsub-b@example.com,,B\n,+4917099887766,Phone only\n';
    const first = await importContactsCsv(deps, actor, { stream: [csv], listId: list.id, source: 'test' });
    expect(first).toMatchObject({ status: 'completed', imported_rows: 3, list_id: list.id });
    const a = await contactByEmail('sub-a@example.com');
    await store.db.updateTable('subscriptions').set({ status: 'unsubscribed' }).where('contact_id', '=', a!.id).execute();
    await importContactsCsv(deps, actor, { stream: [csv, 'sub-c@example.com,,C\n'], listId: list.id, source: 'test' });
    const subs = await store.db
      .selectFrom('subscriptions')
      .innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id')
      .select(['contacts.email', 'contacts.phone', 'subscriptions.status', 'subscriptions.source'])
      .where('subscriptions.list_id', '=', list.id)
      .orderBy('contacts.id')
      .execute();
    expect(subs).toEqual([
      { email: 'sub-a@example.com', phone: null, status: 'unsubscribed', source: 'import' },
      { email: 'sub-b@example.com', phone: null, status: 'subscribed', source: 'import' },
      { email: null, phone: '+4917099887766', status: 'subscribed', source: 'import' },
      { email: 'sub-c@example.com', phone: null, status: 'subscribed', source: 'import' },
    ]);
    const twinNow = await store.db.selectFrom('contacts').selectAll().where('id', '=', twin.contact.id).executeTakeFirstOrThrow();
    expect(twinNow).toMatchObject({ account_id: elsewhere.accountId, first_name: 'Twin' });
    expect(await store.db.selectFrom('subscriptions').select('list_id').where('contact_id', '=', twin.contact.id).execute()).toEqual([]);
  });

  it('keeps the rows accepted before the stream breaks off, and records the job as failed', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `broken-upload-${i}@example.com,Row${i}\n`);
    async function* upload() {
      yield 'email,first_name\n';
      yield rows.slice(0, 12).join('');
      yield rows.slice(12).join('');
      yield 'half-a-line@exa';
      // Give the importer time to take every complete row before the connection drops.
      await sleep(100);
      throw new Error('connection reset by peer');
    }
    const job = await importContactsCsv(get().deps, actor, { stream: upload(), source: 'test', batchSize: 10 });
    expect(job).toMatchObject({ status: 'failed', total_rows: 25, imported_rows: 25, failed_rows: 0 });
    expect(job.errors).toEqual([{ line: 27, field: 'file', reason: 'the import stopped after line 26: connection reset by peer' }]);
    for (const i of [0, 9, 10, 24]) expect(await contactByEmail(`broken-upload-${i}@example.com`)).toBeDefined();
  });

  it('reads files over a megabyte in a worker thread with the same errors, lines and break-off', async () => {
    // 30,000 rows (~1.5 MB): past the size read in this thread, so parsing runs in the worker.
    const lines = ['email,first_name,city'];
    for (let i = 0; i < 30_000; i++) lines.push(`threaded-${i}@example.com,First${i},"Berlin, Germany"`);
    lines[5_001] = 'threaded-bad@@example.com,Bad,Berlin';
    lines[17_001] = 'threaded-17000@example.com,Stray "quote,Berlin';
    lines[29_001] = 'threaded-29000@example.com,Short';
    const body = `${lines.join('\n')}\n`;
    expect(body.length).toBeGreaterThan(1024 * 1024);
    // Chunks of 64 KiB as a file or socket delivers them, the last line cut in half by a break-off.
    async function* upload(breakOff: boolean) {
      const bytes = Buffer.from(breakOff ? `${body}threaded-half@exa` : body);
      for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
      if (breakOff) {
        await sleep(20);
        throw new Error('connection reset by peer');
      }
    }
    const errors = [
      { line: 5_002, field: 'email', reason: expect.stringContaining('threaded-bad@@example.com') },
      { line: 17_002, field: 'row', reason: expect.stringContaining('stray quote') },
      { line: 29_002, field: 'row', reason: 'has 2 fields, the header has 3' },
    ];
    const job = await importContactsCsv(get().deps, actor, { stream: upload(false), source: 'test' });
    expect(job).toMatchObject({ status: 'completed', total_rows: 30_000, imported_rows: 29_997, failed_rows: 3 });
    expect(job.errors).toEqual(errors);
    expect(await contactByEmail('threaded-29999@example.com')).toMatchObject({ first_name: 'First29999', attributes: '{"city":"Berlin, Germany"}' });

    const broken = await importContactsCsv(get().deps, actor, { stream: upload(true), source: 'test' });
    expect(broken).toMatchObject({ status: 'failed', total_rows: 30_000, imported_rows: 29_997, failed_rows: 3 });
    expect(broken.errors).toEqual([...errors, { line: 30_002, field: 'file', reason: 'the import stopped after line 30001: connection reset by peer' }]);
  });

  it('refuses an empty file or a header without email or phone, recording a failed job', async () => {
    const { deps, store } = get();
    await expect(importContactsCsv(deps, actor, { stream: [''], source: 'test' })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'header',
      message: expect.stringContaining('the file is empty'),
    });
    const noAddress = importContactsCsv(deps, actor, { stream: ['\ufeffName,City\nAnna,Berlin\n'], source: 'test' });
    await expect(noAddress).rejects.toMatchObject({ field: 'header', message: expect.stringContaining('no email or phone column (found "Name", "City")') });
    const err = await noAddress.catch((e) => e);
    const job = await store.db.selectFrom('import_jobs').selectAll().where('id', '=', err.details.import_id).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', imported_rows: 0 });
    expect(JSON.parse(job.errors)[0]).toMatchObject({ line: 1, field: 'header' });
    await expect(importContactsCsv(deps, actor, { stream: ['email,"name\n'], source: 'test' })).rejects.toMatchObject({
      field: 'header',
      message: expect.stringContaining('the header row cannot be read'),
    });
  });

  it('refuses a list of another account', async () => {
    const otherAccount = await createAccount(get().deps, { name: 'Someone else' });
    const theirs = await createList(get().deps, { accountId: otherAccount, role: 'owner', label: 'test' }, { name: 'Theirs' });
    await expect(importContactsCsv(get().deps, actor, { stream: ['email\nx@example.com\n'], listId: theirs.id, source: 'test' })).rejects.toMatchObject({
      code: 'not_found',
      field: 'list_id',
    });
  });
});

describeEachDialect('CSV import API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(get());
  });

  it('takes text/csv as a stream, larger than the JSON body limit, and reports by line', async () => {
    const list = await api.call('POST', '/api/v1/lists', { name: 'API import' });
    const lines = ['email,first_name,last_name,plan'];
    for (let i = 0; i < 20_000; i++) lines.push(`api-import-${i}@example.com,First${i},Last${i},${i % 3 === 0 ? 'professional' : 'free'}`);
    lines.splice(101, 0, 'not-an-address,Bad,Row,free');
    const csv = `${lines.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const res = await api.call('POST', `/api/v1/contacts/import?list_id=${list.json.id}`, csv);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'completed', total_rows: 20_001, imported_rows: 20_000, failed_rows: 1, list_id: list.json.id, source: 'api' });
    expect(res.json.errors).toEqual([{ line: 102, field: 'email', reason: 'not-an-address: missing @' }]);

    const job = await api.call('GET', `/api/v1/imports/${res.json.id}`);
    expect(job.json).toEqual(res.json);
    const jobs = await api.call('GET', '/api/v1/imports');
    expect(jobs.json.items.map((j: any) => j.id)).toContain(res.json.id);
    expect(jobs.json.items[0]).not.toHaveProperty('errors');
    expect((await api.call('GET', `/api/v1/lists/${list.json.id}`)).json.counts.subscribed).toBe(20_000);
  });

  it('answers a header problem with 422 naming the header', async () => {
    const res = await api.call('POST', '/api/v1/contacts/import', 'name,city\nAnna,Berlin\n');
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'invalid_input', field: 'header' });
    expect(res.json.error.message).toContain('no email or phone column');
    expect(res.json.error.details.import_id).toBeGreaterThan(0);
  });

  it('refuses a JSON body on the import route', async () => {
    const res = await api.call('POST', '/api/v1/contacts/import', { email: 'x@example.com' });
    expect(res.status).toBe(422);
    expect(res.json.error.field).toBe('content-type');
  });

  it("keeps import jobs and lists of one account away from another's key", async () => {
    const res = await api.call('POST', '/api/v1/contacts/import', 'email\nmine-only@example.com\n');
    expect(res.status).toBe(201);
    expect((await api.call('GET', `/api/v1/imports/${res.json.id}`, undefined, api.otherKey)).status).toBe(404);
    const theirJobs = await api.call('GET', '/api/v1/imports', undefined, api.otherKey);
    expect(theirJobs.json.items).toEqual([]);
    const list = await api.call('POST', '/api/v1/lists', { name: 'Not yours' });
    const cross = await api.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/import?list_id=${list.json.id}`,
      headers: { authorization: `Bearer ${api.otherKey}`, 'content-type': 'text/csv' },
      payload: 'email\nintruder@example.com\n',
    });
    expect(cross.statusCode).toBe(404);
    expect(cross.json().error.field).toBe('list_id');
    expect((await api.call('GET', `/api/v1/lists/${list.json.id}`)).json.counts.total).toBe(0);
    const intruder = await api.call('GET', '/api/v1/contacts?q=intruder', undefined, api.otherKey);
    expect(intruder.json.items).toEqual([]);
  });
});
