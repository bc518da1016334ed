import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/app/deps.ts';
import { AppError } from '../src/app/errors.ts';
import type { RenderContext } from '../src/app/templates/compiled-template.ts';
import { compileTemplate } from '../src/app/templates/compile-template.ts';
import { createTemplate } from '../src/app/templates/create-template.ts';
import { deleteTemplate } from '../src/app/templates/delete-template.ts';
import { getTemplate } from '../src/app/templates/get-template.ts';
import { listTemplates } from '../src/app/templates/list-templates.ts';
import { previewTemplate } from '../src/app/templates/preview-template.ts';
import { renderContextFor } from '../src/app/templates/render-context.ts';
import { updateTemplate } from '../src/app/templates/update-template.ts';
import type { ContactRow } from '../src/store/schema.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'templates');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function contextFor(contact: Partial<RenderContext['contact']> = {}): RenderContext {
  return {
    contact: {
      id: 7,
      email: 'ann@example.com',
      phone: null,
      first_name: 'Ann',
      last_name: 'Lee',
      timezone: null,
      locale: null,
      attributes: {},
      ...contact,
    },
    campaign: { id: 3, name: 'Spring news' },
    account: { id: 1, name: 'Acme' },
    unsubscribe_url: 'https://herald.example/u/abc?s=1&t=2',
  };
}

/** The AppError a promise rejects with (fails the test if it resolves or throws something else). */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const mjmlButton = (attributes: string) =>
  `<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-button ${attributes}>Go</mj-button>\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>`;

describe('compileTemplate', () => {
  it('compiles MJML with Liquid in text and href once, and renders it per contact', async () => {
    const t = await compileTemplate({ format: 'mjml', subject: 'News for {{ contact.first_name }}', body: fixture('newsletter.mjml') });
    expect(t.htmlSource).toContain('href="https://example.com/news?c={{ campaign.id }}&amp;u={{ contact.id }}"');

    const ann = await t.render(contextFor({ id: 7, first_name: 'Ann', attributes: { plan: 'pro', vip: true } }));
    const bob = await t.render(contextFor({ id: 8, first_name: null, attributes: {} }));
    expect(ann.subject).toBe('News for Ann');
    expect(ann.html).toContain('Hello Ann,');
    expect(ann.html).toContain('href="https://example.com/news?c=3&amp;u=7"');
    expect(ann.html).toContain('Your plan: pro.');
    expect(ann.html).toContain('As a VIP you get early access.');
    // The unsubscribe URL's "&" is escaped in the HTML attribute and plain in the text part.
    expect(ann.html).toContain('href="https://herald.example/u/abc?s=1&amp;t=2"');
    expect(ann.text).toContain('Unsubscribe (https://herald.example/u/abc?s=1&t=2)');
    expect(ann.text).toContain('Read more (https://example.com/news?c=3&u=7)');

    expect(bob.html).toContain('Hello there,');
    expect(bob.html).toContain('href="https://example.com/news?c=3&amp;u=8"');
    expect(bob.html).toContain('Your plan: free.');
    expect(bob.html).not.toContain('VIP');
    expect(bob.text).toMatch(/^Acme\n\nHello there,\n\nHere is what is new at Acme this week\.\n\nYour plan: free\.\n\nRead more/);
    expect(bob.text).not.toMatch(/\n{3}/);
  });

  it('escapes contact data in the HTML part but not in the subject or the text part', async () => {
    const t = await compileTemplate({ format: 'html', subject: 'Hi {{ contact.first_name }}', body: '<p>Hi {{ contact.first_name }} from {{ contact.attributes.company }}</p>' });
    const r = await t.render(contextFor({ first_name: '<b>Tom</b> & "Jerry"', attributes: { company: '<script>x()</script>' } }));
    expect(r.html).toBe('<p>Hi &lt;b&gt;Tom&lt;/b&gt; &amp; &#34;Jerry&#34; from &lt;script&gt;x()&lt;/script&gt;</p>');
    expect(r.subject).toBe('Hi <b>Tom</b> & "Jerry"');
    expect(r.text).toBe('Hi <b>Tom</b> & "Jerry" from <script>x()</script>');
  });

  it('keeps the subject on one line whatever the contact data holds', async () => {
    const t = await compileTemplate({ format: 'html', subject: 'Hi {{ contact.first_name }}!', body: '<p>x</p>' });
    const r = await t.render(contextFor({ first_name: 'Eve\r\nBcc: victim@example.com' }));
    expect(r.subject).toBe('Hi Eve Bcc: victim@example.com!');
  });

  it('supports the default filter', async () => {
    const t = await compileTemplate({ format: 'html', subject: '{{ contact.first_name | default: "there" }}', body: '<p>Hi {{ contact.first_name | default: "there" }}</p>' });
    expect((await t.render(contextFor({ first_name: null }))).html).toBe('<p>Hi there</p>');
    expect((await t.render(contextFor({ first_name: '' }))).subject).toBe('there');
    expect((await t.render(contextFor({ first_name: 'Ann' }))).text).toBe('Hi Ann');
  });

  it('shows only own properties: prototypes and constructors render empty', async () => {
    const body =
      '<p>[{{ contact.constructor }}][{{ contact.attributes.__proto__ }}][{{ contact.attributes.constructor.name }}][{{ contact.email.constructor }}][{{ contact.attributes.toString }}][{{ contact.attributes.plan }}]</p>';
    const t = await compileTemplate({ format: 'html', subject: 's', body });
    const ctx = renderContextFor(
      { id: 1, email: 'a@b.example', phone: null, first_name: null, last_name: null, timezone: null, locale: null, attributes: '{"plan":"pro"}' },
      { campaign: { id: 1, name: 'c' }, account: { id: 1, name: 'a' }, unsubscribeUrl: 'u' },
    );
    expect((await t.render(ctx)).html).toBe('<p>[][][][][][pro]</p>');
  });

  it('stops a runaway loop at the render limit with a clear error', async () => {
    const t = await compileTemplate({
      format: 'html',
      subject: 's',
      body: '<p>ok</p>\n{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}',
    });
    const started = performance.now();
    const err = await appErrorOf(t.render(contextFor()));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe('body');
    expect(err.message).toMatch(/rendering the HTML part failed at line 2, column \d+: template render limit exceeded \(a render may take 100 ms/);
  });

  it('gives a render one more try when it was only stalled once (the limit is wall-clock time)', async () => {
    const t = await compileTemplate({ format: 'html', subject: 's', body: '<p>{{ contact.attributes.slow }}</p><p>after</p>' });
    const stallFor = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // a stalled process: GC pause or a busy CPU
      }
    };
    let calls = 0;
    const once = { get slow() { if (++calls === 1) stallFor(150); return 'ok'; } };
    expect((await t.render(contextFor({ attributes: once }))).html).toBe('<p>ok</p><p>after</p>');
    expect(calls).toBe(3); // the HTML part twice (stalled, then fine), the text part once

    const always = { get slow() { stallFor(150); return 'ok'; } };
    const err = await appErrorOf(t.render(contextFor({ attributes: always })));
    expect(err.message).toMatch(/template render limit exceeded/);
  });

  it('stops a huge range at the memory limit', async () => {
    const t = await compileTemplate({ format: 'html', subject: 's', body: '{% for i in (1..100000000) %}x{% endfor %}' });
    const err = await appErrorOf(t.render(contextFor()));
    expect(err.message).toMatch(/memory alloc limit exceeded/);
  });

  it('names field, line and column of a Liquid syntax error', async () => {
    const body = '<p>one</p>\n<p>two</p>\n<p>{% if contact.first_name %}three</p>\n';
    const err = await appErrorOf(compileTemplate({ format: 'html', subject: 'ok', body }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'body', details: { line: 3, column: 4 } });
    expect(err.message).toMatch(/^line 3, column 4: tag \{% if contact.first_name %\} not closed/);

    const subjectErr = await appErrorOf(compileTemplate({ format: 'html', subject: 'Hi {{ contact.first_name ', body: '<p>x</p>' }));
    expect(subjectErr.field).toBe('subject');
    expect(subjectErr.message).toMatch(/^line 1, column 4: output "\{\{ contact.first_name " not closed/);
  });

  it('names the MJML source line of a Liquid error, not a line of the compiled HTML', async () => {
    const err = await appErrorOf(compileTemplate({ format: 'mjml', subject: 's', body: fixture('broken-liquid.mjml') }));
    expect(err.field).toBe('body');
    expect(err.message).toMatch(/^line 5, column 24: output "\{\{ contact.first_name \| upcas/);
  });

  it('accepts Liquid strings in attributes, and says how to quote them when MJML cannot parse them', async () => {
    const html = await compileTemplate({ format: 'html', subject: 's', body: '<p><a href="{{ contact.attributes.link | default: "https://x.example/" }}">Go</a></p>' });
    const rendered = await html.render(contextFor({ attributes: {} }));
    expect(rendered.html).toBe('<p><a href="https://x.example/">Go</a></p>');
    expect(rendered.text).toBe('Go (https://x.example/)');

    const single = mjmlButton(`href="{{ contact.attributes.link | default: 'https://x.example/' }}"`);
    const t = await compileTemplate({ format: 'mjml', subject: 's', body: single });
    expect((await t.render(contextFor({ attributes: { link: 'https://y.example/a?b=1&c=2' } }))).html).toContain('href="https://y.example/a?b=1&amp;c=2"');

    const err = await appErrorOf(compileTemplate({ format: 'mjml', subject: 's', body: mjmlButton('href="{{ contact.attributes.link | default: "https://x.example/" }}"') }));
    expect(err.message).toMatch(/^line 5: .*illegal; inside a double-quoted attribute write Liquid strings in single quotes/);
  });

  it('refuses an unknown filter (strictFilters)', async () => {
    const err = await appErrorOf(compileTemplate({ format: 'html', subject: 's', body: '<p>\n{{ contact.first_name | shout }}</p>' }));
    expect(err.message).toBe('line 2, column 1: undefined filter: shout');
  });

  it('names the line of an MJML validation error', async () => {
    const err = await appErrorOf(compileTemplate({ format: 'mjml', subject: 's', body: fixture('broken-mjml.mjml') }));
    expect(err).toMatchObject({ code: 'invalid_input', field: 'body', details: { line: 4 } });
    expect(err.message).toBe("line 4: Element mj-colum doesn't exist or is not registered");
  });

  it('explains a body that is not MJML at all', async () => {
    for (const body of ['<p>just html</p>', 'Hello {{ contact.first_name }}']) {
      const err = await appErrorOf(compileTemplate({ format: 'mjml', subject: 's', body }));
      expect(err).toMatchObject({ field: 'body', details: { line: 1 } });
      expect(err.message).toBe('line 1: an MJML body starts with <mjml>; for a body in HTML choose the format "html"');
    }
  });

  it('refuses a Liquid tag that MJML would drop silently, naming its line', async () => {
    const body = `<mjml>\n  <mj-body>\n    {% if contact.attributes.vip %}\n    <mj-section><mj-column><mj-text>VIP</mj-text></mj-column></mj-section>\n    {% endif %}\n  </mj-body>\n</mjml>`;
    const err = await appErrorOf(compileTemplate({ format: 'mjml', subject: 's', body }));
    expect(err.field).toBe('body');
    expect(err.message).toMatch(/^line 3: MJML drops the Liquid tag \{% if contact.attributes.vip %\}.*<mj-raw>/);

    // The same condition inside <mj-raw> survives and works.
    const fixed = body.replace('{% if contact.attributes.vip %}', '<mj-raw>{% if contact.attributes.vip %}</mj-raw>').replace('{% endif %}', '<mj-raw>{% endif %}</mj-raw>');
    const t = await compileTemplate({ format: 'mjml', subject: 's', body: fixed });
    expect((await t.render(contextFor({ attributes: { vip: true } }))).html).toContain('VIP');
    expect((await t.render(contextFor({ attributes: {} }))).html).not.toContain('VIP');
  });

  it('keeps templates away from the file system (include, render, mj-include)', async () => {
    const err = await appErrorOf(compileTemplate({ format: 'html', subject: 's', body: "<p>{% include '/etc/passwd' %}</p>" }));
    expect(err.message).toMatch(/tag "include" not found/);
    const renderErr = await appErrorOf(compileTemplate({ format: 'html', subject: 's', body: "{% render 'package.json' %}" }));
    expect(renderErr.message).toMatch(/tag "render" not found/);

    const includePath = path.relative(process.cwd(), path.join(FIXTURES, 'included-secret.txt'));
    const body = fixture('with-include.mjml').replace('INCLUDE_PATH', includePath);
    const t = await compileTemplate({ format: 'mjml', subject: 's', body });
    expect(t.htmlSource).not.toContain('INCLUDED-FILE-CONTENT');
  });

  it('renders the text part from the HTML with Liquid kept', async () => {
    const t = await compileTemplate({
      format: 'html',
      subject: 's',
      body: '<html><head><style>p{}</style></head><body><h1>Hi {{ contact.first_name }}</h1><ul><li>{{ contact.attributes.item }}</li></ul><img src="l.png" alt="{{ account.name }} logo"><a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>',
    });
    expect(t.textSource).toBe('Hi {{ contact.first_name }}\n\n- {{ contact.attributes.item }}\n\n{{ account.name }} logo Unsubscribe ({{ unsubscribe_url }})');
    expect((await t.render(contextFor({ attributes: { item: 'Tea & <cake>' } }))).text).toBe(
      'Hi Ann\n\n- Tea & <cake>\n\nAcme logo Unsubscribe (https://herald.example/u/abc?s=1&t=2)',
    );
  });
});

describe('renderContextFor', () => {
  const row: ContactRow = {
    id: 5,
    account_id: 1,
    email: 'a@b.example',
    phone: '+49301234567',
    first_name: 'Ann',
    last_name: 'Lee',
    timezone: 'Europe/Berlin',
    locale: 'de',
    messenger: '{}',
    postal_address: null,
    attributes: '{"plan":"pro","score":3}',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
  const extra = { campaign: { id: 2, name: 'C' }, account: { id: 1, name: 'Acme' }, unsubscribeUrl: 'https://u' };

  it('parses attributes and exposes only what templates may use', () => {
    const ctx = renderContextFor(row, extra);
    expect(ctx).toEqual({
      contact: { id: 5, email: 'a@b.example', phone: '+49301234567', first_name: 'Ann', last_name: 'Lee', timezone: 'Europe/Berlin', locale: 'de', attributes: { plan: 'pro', score: 3 } },
      campaign: { id: 2, name: 'C' },
      account: { id: 1, name: 'Acme' },
      unsubscribe_url: 'https://u',
    });
  });

  it('says which contact has broken attributes', () => {
    expect(() => renderContextFor({ ...row, attributes: '[1,2]' }, extra)).toThrow(/contact 5 has attributes that are not a JSON object/);
    expect(() => renderContextFor({ ...row, attributes: '{oops' }, extra)).toThrow(AppError);
  });
});

const NEWS = { name: 'News', format: 'mjml' as const, subject: 'Hi {{ contact.first_name | default: "there" }}', body: fixture('newsletter.mjml') };

async function insertContact(env: TestEnv, accountId: number, fields: { email: string; first_name?: string; attributes?: object }): Promise<number> {
  const now = env.clock.now().toISOString();
  const row = await env.store.db
    .insertInto('contacts')
    .values({
      account_id: accountId,
      email: fields.email,
      phone: null,
      first_name: fields.first_name ?? null,
      last_name: null,
      timezone: null,
      locale: null,
      postal_address: null,
      attributes: JSON.stringify(fields.attributes ?? {}),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function insertCampaign(env: TestEnv, accountId: number, templateId: number | null, name: string): Promise<number> {
  const now = env.clock.now().toISOString();
  const row = await env.store.db
    .insertInto('campaigns')
    .values({ account_id: accountId, name, channel: 'email', kind: 'one-off', status: 'draft', template_id: templateId, audience: '{}', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describeEachDialect('templates (use cases)', (get) => {
  let actor: Actor;
  let other: Actor;
  beforeAll(async () => {
    const { createAccount } = await import('../src/app/accounts/bootstrap.ts');
    actor = { accountId: await createAccount(get().deps, { name: 'Acme' }), role: 'owner', label: 'test' };
    other = { accountId: await createAccount(get().deps, { name: 'Other' }), role: 'owner', label: 'test' };
  });

  it('creates, reads, updates (bumping the version) and lists by keyset', async () => {
    const { deps, clock } = get();
    const created = await createTemplate(deps, actor, NEWS);
    expect(created).toMatchObject({ name: 'News', channel: 'email', format: 'mjml', version: 1, warnings: [] });
    expect(await getTemplate(deps, actor, created.id)).toMatchObject({ id: created.id, body: NEWS.body, version: 1 });

    clock.advance(60_000);
    const updated = await updateTemplate(deps, actor, created.id, { subject: 'New subject' });
    expect(updated).toMatchObject({ version: 2, subject: 'New subject', body: NEWS.body, created_at: created.created_at });
    expect(updated.updated_at).not.toBe(created.updated_at);
    expect((await updateTemplate(deps, actor, created.id, { name: 'Renamed' })).version).toBe(3);

    const b = await createTemplate(deps, actor, { ...NEWS, name: 'B' });
    const c = await createTemplate(deps, actor, { ...NEWS, name: 'C' });
    await createTemplate(deps, other, { ...NEWS, name: 'Not mine' });
    const first = await listTemplates(deps, actor, { limit: 2 });
    expect(first.items.map((t) => t.name)).toEqual(['Renamed', 'B']);
    expect(first.items[0]).not.toHaveProperty('body');
    expect(first.next_after).toBe(b.id);
    const second = await listTemplates(deps, actor, { limit: 2, after: first.next_after! });
    expect(second.items.map((t) => t.id)).toEqual([c.id]);
    expect(second.next_after).toBeNull();
  });

  it('returns lint warnings with the saved template', async () => {
    const saved = await createTemplate(get().deps, actor, { name: 'Wide', format: 'html', subject: 's', body: fixture('plain.html') });
    expect(saved.warnings.map((w) => w.code)).toEqual(['image_too_wide', 'no_unsubscribe_link']);
  });

  it('saves nothing when Liquid or MJML does not compile', async () => {
    const { deps, store } = get();
    const count = async () => (await store.db.selectFrom('templates').select('id').where('account_id', '=', actor.accountId).execute()).length;
    const before = await count();
    const err = await appErrorOf(createTemplate(deps, actor, { ...NEWS, body: fixture('broken-mjml.mjml') }));
    expect(err).toMatchObject({ field: 'body', details: { line: 4 } });
    expect(await count()).toBe(before);

    const t = await createTemplate(deps, actor, NEWS);
    const updateErr = await appErrorOf(updateTemplate(deps, actor, t.id, { subject: '{{ contact.first_name', body: '<p>x</p>', format: 'html' }));
    expect(updateErr.field).toBe('subject');
    expect(await getTemplate(deps, actor, t.id)).toMatchObject({ version: 1, format: 'mjml', subject: NEWS.subject, body: NEWS.body });
  });

  it('checks name, channel and format by field', async () => {
    const { deps } = get();
    expect((await appErrorOf(createTemplate(deps, actor, { ...NEWS, name: ' ' }))).field).toBe('name');
    expect((await appErrorOf(createTemplate(deps, actor, { ...NEWS, channel: 'sms' }))).field).toBe('channel');
    expect((await appErrorOf(createTemplate(deps, actor, { ...NEWS, format: 'pdf' as 'html' }))).field).toBe('format');
    expect((await appErrorOf(createTemplate(deps, actor, { ...NEWS, subject: '' }))).field).toBe('subject');
  });

  it("never reads or changes another account's template", async () => {
    const { deps } = get();
    const t = await createTemplate(deps, actor, NEWS);
    for (const attempt of [
      () => getTemplate(deps, other, t.id),
      () => updateTemplate(deps, other, t.id, { name: 'mine now' }),
      () => deleteTemplate(deps, other, t.id),
      () => previewTemplate(deps, other, t.id),
    ]) {
      expect((await appErrorOf(attempt())).code).toBe('not_found');
    }
    expect(await getTemplate(deps, actor, t.id)).toMatchObject({ name: 'News', version: 1 });
  });

  it('refuses to delete a template a campaign uses, naming the campaign', async () => {
    const { deps } = get();
    const t = await createTemplate(deps, actor, NEWS);
    const campaignId = await insertCampaign(get(), actor.accountId, t.id, 'Spring sale');
    const err = await appErrorOf(deleteTemplate(deps, actor, t.id));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(`campaign ${campaignId} "Spring sale"`);
    expect(err.details).toEqual({ campaign_ids: [campaignId] });
    expect(await getTemplate(deps, actor, t.id)).toMatchObject({ id: t.id });

    await get().store.db.updateTable('campaigns').set({ template_id: null }).where('id', '=', campaignId).execute();
    await deleteTemplate(deps, actor, t.id);
    expect((await appErrorOf(getTemplate(deps, actor, t.id))).code).toBe('not_found');
  });

  it('previews for a contact of the account, or a sample contact', async () => {
    const { deps } = get();
    const t = await createTemplate(deps, actor, NEWS);
    const contactId = await insertContact(get(), actor.accountId, { email: 'zoe@example.com', first_name: 'Zoë <3', attributes: { plan: 'pro', vip: true } });
    const preview = await previewTemplate(deps, actor, t.id, { contactId });
    expect(preview.subject).toBe('Hi Zoë <3');
    expect(preview.html).toContain('Hello Zoë &lt;3,');
    expect(preview.html).toContain(`u=${contactId}"`);
    expect(preview.text).toContain('Here is what is new at Acme this week.');
    expect(preview.text).toContain('As a VIP you get early access.');
    expect(preview.text).toContain(`Unsubscribe (${deps.config.publicUrl}/unsubscribe/preview)`);
    expect(preview.warnings).toEqual([]);

    const sample = await previewTemplate(deps, actor, t.id, { sample: { first_name: null, attributes: { plan: 'team' } } });
    expect(sample.subject).toBe('Hi there');
    expect(sample.text).toContain('Your plan: team.');

    const othersContact = await insertContact(get(), other.accountId, { email: 'x@other.example' });
    const err = await appErrorOf(previewTemplate(deps, actor, t.id, { contactId: othersContact }));
    expect(err).toMatchObject({ code: 'not_found', field: 'contact_id' });
  });
});

describeEachDialect('templates (API)', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(get());
  });

  it('creates, shows, updates, lists and deletes', async () => {
    const created = await api.call('POST', '/api/v1/templates', NEWS);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'News', format: 'mjml', version: 1, warnings: [] });
    const id = created.json.id;

    const shown = await api.call('GET', `/api/v1/templates/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.json).toMatchObject({ id, body: NEWS.body, subject: NEWS.subject });
    expect(shown.json).not.toHaveProperty('account_id');

    const updated = await api.call('PUT', `/api/v1/templates/${id}`, { body: fixture('plain.html'), format: 'html' });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ version: 2, format: 'html' });
    expect(updated.json.warnings.map((w: { code: string }) => w.code)).toEqual(['image_too_wide', 'no_unsubscribe_link']);
    expect(updated.json.warnings[0]).toMatchObject({ message: expect.stringContaining('https://cdn.example.com/hero.jpg'), hint: expect.any(String) });

    const list = await api.call('GET', '/api/v1/templates?limit=10');
    expect(list.status).toBe(200);
    expect(list.json.items.map((t: { id: number }) => t.id)).toContain(id);
    expect(list.json.next_after).toBeNull();

    const deleted = await api.call('DELETE', `/api/v1/templates/${id}`);
    expect(deleted.status).toBe(204);
    expect((await api.call('GET', `/api/v1/templates/${id}`)).status).toBe(404);
  });

  it('refuses a save with a Liquid or MJML error with 422 naming field and line, saving nothing', async () => {
    const before = (await api.call('GET', '/api/v1/templates')).json.items.length;
    const liquid = await api.call('POST', '/api/v1/templates', { ...NEWS, body: fixture('broken-liquid.mjml') });
    expect(liquid.status).toBe(422);
    expect(liquid.json.error).toMatchObject({ code: 'invalid_input', field: 'body', message: expect.stringMatching(/^line 5, column 24:/) });
    const structure = await api.call('POST', '/api/v1/templates', { ...NEWS, body: fixture('broken-mjml.mjml') });
    expect(structure.status).toBe(422);
    expect(structure.json.error).toMatchObject({ field: 'body', details: { line: 4 } });
    const subject = await api.call('POST', '/api/v1/templates', { ...NEWS, subject: 'Hi {% if %}' });
    expect(subject.status).toBe(422);
    expect(subject.json.error.field).toBe('subject');
    expect((await api.call('GET', '/api/v1/templates')).json.items.length).toBe(before);

    const t = (await api.call('POST', '/api/v1/templates', NEWS)).json;
    const badUpdate = await api.call('PUT', `/api/v1/templates/${t.id}`, { body: fixture('broken-mjml.mjml') });
    expect(badUpdate.status).toBe(422);
    expect((await api.call('GET', `/api/v1/templates/${t.id}`)).json).toMatchObject({ version: 1, body: NEWS.body });
  });

  it('validates without saving', async () => {
    const ok = await api.call('POST', '/api/v1/templates/validate', { format: 'html', subject: 'x', body: '<p>Hi</p><img src="big.png" width="1000" alt="">' });
    expect(ok.status).toBe(200);
    expect(ok.json.warnings.map((w: { code: string }) => w.code)).toEqual(['image_too_wide', 'no_unsubscribe_link']);
    const bad = await api.call('POST', '/api/v1/templates/validate', { format: 'html', subject: 'x', body: '<p>\n\n{{ oops </p>' });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ field: 'body', details: { line: 3, column: 1 } });
  });

  it('rejects unknown fields and bad formats at the edge', async () => {
    const unknown = await api.call('POST', '/api/v1/templates', { ...NEWS, colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.field).toBe('colour');
    const format = await api.call('POST', '/api/v1/templates', { ...NEWS, format: 'pdf' });
    expect(format.status).toBe(400);
    expect(format.json.error.field).toBe('format');
    const t = (await api.call('POST', '/api/v1/templates', NEWS)).json;
    expect((await api.call('PUT', `/api/v1/templates/${t.id}`, {})).status).toBe(400);
  });

  it("previews for a contact, and answers 404 for another account's contact or template", async () => {
    const env = get();
    const t = (await api.call('POST', '/api/v1/templates', NEWS)).json;
    const mine = await insertContact(env, api.accountId, { email: 'ann@example.com', first_name: 'Ann' });
    const theirs = await insertContact(env, api.otherAccountId, { email: 'ann@other.example', first_name: 'Other Ann' });

    const preview = await api.call('POST', `/api/v1/templates/${t.id}/preview`, { contact_id: mine });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ subject: 'Hi Ann', warnings: [] });
    expect(preview.json.html).toContain('Hello Ann,');
    expect(preview.json.text).toContain('Hello Ann,');

    const sample = await api.call('POST', `/api/v1/templates/${t.id}/preview`, { sample: { first_name: 'Sam' } });
    expect(sample.json.subject).toBe('Hi Sam');

    const foreignContact = await api.call('POST', `/api/v1/templates/${t.id}/preview`, { contact_id: theirs });
    expect(foreignContact.status).toBe(404);
    expect(foreignContact.json.error).toMatchObject({ code: 'not_found', field: 'contact_id' });

    const foreignTemplate = await api.call('POST', `/api/v1/templates/${t.id}/preview`, {}, api.otherKey);
    expect(foreignTemplate.status).toBe(404);
    expect((await api.call('GET', `/api/v1/templates/${t.id}`, undefined, api.otherKey)).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/templates/${t.id}`, undefined, api.otherKey)).status).toBe(404);
  });

  it('answers 409 when deleting a template a campaign uses', async () => {
    const t = (await api.call('POST', '/api/v1/templates', NEWS)).json;
    const campaignId = await insertCampaign(get(), api.accountId, t.id, 'Uses it');
    const res = await api.call('DELETE', `/api/v1/templates/${t.id}`);
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain(`campaign ${campaignId} "Uses it"`);
  });
});
