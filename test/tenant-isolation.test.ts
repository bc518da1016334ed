// Every API route, called with another account's key on this account's data: ids of another
// account are "not found", lists never show them, references to them are refused, and nothing
// of this account changes. The test walks the route table itself, so a new route without a case
// here fails the test.
import { expect, it } from 'vitest';
import { signPersonalLink } from '../src/app/links/personal-link-token.ts';
import { buildRouteTable } from '../src/http/route-table.ts';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi } from './support/http.ts';

const MARK = 'alphaonly';

describeEachDialect('tenant isolation on every route', (get) => {
  it('another account cannot read, change or reference this account’s rows', async () => {
    const env = get();
    const api = await createTestApi(env);
    const { db } = env.store;
    const A = api.accountId;

    // Account A's data, one of everything.
    const list = (await api.call('POST', '/api/v1/lists', { name: `${MARK} list` })).json;
    const contact = (await api.call('POST', '/api/v1/contacts', { email: `${MARK}@example.com`, first_name: MARK, list_ids: [list.id] })).json.contact ?? null;
    const contactId: number = contact?.id ?? (await db.selectFrom('contacts').select('id').where('account_id', '=', A).executeTakeFirstOrThrow()).id;
    const template = (
      await api.call('POST', '/api/v1/templates', {
        name: `${MARK} template`,
        format: 'html',
        subject: 'Hi',
        body: '<p>Hi {{ contact.first_name }} <a href="{{ unsubscribe_url }}">unsubscribe</a></p>',
      })
    ).json;
    const draft = (await api.call('POST', '/api/v1/campaigns', { name: `${MARK} draft`, template_id: template.id, from_email: 'a@example.com', audience: { list_ids: [list.id] } })).json;
    const sending = (await api.call('POST', '/api/v1/campaigns', { name: `${MARK} sending`, template_id: template.id, from_email: 'a@example.com', audience: { list_ids: [list.id] } })).json;
    expect((await api.call('POST', `/api/v1/campaigns/${sending.id}/send`, {})).status).toBe(200);
    // A launch waiting for approval (the approval queue lists it with its name).
    expect((await api.call('PUT', '/api/v1/account/approval', { required: true, four_eyes: true })).status).toBe(200);
    const awaiting = (await api.call('POST', '/api/v1/campaigns', { name: `${MARK} awaiting`, template_id: template.id, from_email: 'a@example.com', audience: { list_ids: [list.id] } })).json;
    expect((await api.call('POST', `/api/v1/campaigns/${awaiting.id}/launch`, {})).json.status).toBe('awaiting_approval');
    const recurring = (await api.call('POST', '/api/v1/campaigns', { name: `${MARK} recurring`, template_id: template.id, from_email: 'a@example.com', audience: { list_ids: [list.id] } })).json;
    expect((await api.call('PUT', `/api/v1/campaigns/${recurring.id}/schedule`, { cron: '0 9 * * 1' })).status).toBe(200);
    const doiList = (await api.call('POST', '/api/v1/lists', { name: `${MARK} double`, opt_in: 'double' })).json;
    await api.call('POST', '/api/v1/contacts', { email: `${MARK}4@example.com`, list_ids: [doiList.id] });
    const doiContact = (await db.selectFrom('contacts').select('id').where('email', '=', `${MARK}4@example.com`).executeTakeFirstOrThrow()).id;
    const consentRequest = await api.call('POST', '/api/v1/consent-requests', { contact_id: doiContact, list_id: doiList.id });
    expect(consentRequest.status, JSON.stringify(consentRequest.json)).toBeLessThan(300);
    const segment = (await api.call('POST', '/api/v1/segments', { name: `${MARK} segment`, rules: { all: [{ in_list: list.id }] } })).json;
    const endpoint = (await api.call('POST', '/api/v1/webhooks', { url: 'https://alpha.example.com/hook', events: ['sent'], description: MARK })).json;
    expect(endpoint.id).toBeGreaterThan(0);
    expect((await api.call('PUT', '/api/v1/provider-webhooks/mailgun', { signing_key: `${MARK}-signing-key` })).status).toBe(200);
    const suppression = (await api.call('POST', '/api/v1/suppressions', { channel: 'email', address: `${MARK}3@example.com` })).json;
    const domain = (await api.call('POST', '/api/v1/sender-domains', { domain: `${MARK}.example.com`, generate_dkim: true })).json;
    const imported = await api.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/import?list_id=${list.id}`,
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'text/csv' },
      payload: `email,first_name\n${MARK}2@example.com,${MARK}\n`,
    });
    expect(imported.statusCode).toBeLessThan(300);
    const importId: number = imported.json().id;
    const caught = await db
      .insertInto('caught_messages')
      .values({ account_id: A, message_id: null, mail_from: 'a@example.com', rcpt_to: JSON.stringify([`${MARK}@example.com`]), subject: MARK, size: 10, raw: `Subject: ${MARK}\r\n\r\nhi`, received_at: '2026-03-02T10:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = (await api.call('POST', '/api/v1/messages', { contact: { id: contactId }, content: { subject: MARK, html: '<p>x</p>' }, from_email: 'a@example.com' })).json;
    const personalLink = signPersonalLink(env.deps.config.secret, { accountId: A, contactId, expiresAt: new Date('2030-01-01T00:00:00Z'), purpose: 'login' });
    const user = (await api.call('POST', '/api/v1/users', { email: `${MARK}-user@example.com`, name: MARK, role: 'analyst', password: `${MARK}-password` })).json.user;
    const signIn = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `${MARK}-user@example.com`, password: `${MARK}-password` } });
    expect(signIn.statusCode).toBe(200);
    const apiKey = (await api.call('POST', '/api/v1/api-keys', { name: `${MARK} key`, role: 'analyst' })).json;
    const eventType = (await api.call('POST', '/api/v1/event-types', { name: 'job.status_changed', description: MARK })).json;
    const event = await api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity: `${MARK}-job`, data: { status: MARK }, contacts: [{ id: contactId }], idempotency_key: `${MARK}-key` });
    expect(event.status, JSON.stringify(event.json)).toBe(201);
    // Account B has the same event type, so that its event below is refused for the contact, not the type.
    expect((await api.call('POST', '/api/v1/event-types', { name: 'job.status_changed' }, api.otherKey)).status).toBe(201);
    for (const id of [user.id, apiKey.id, list.id, contactId, template.id, draft.id, sending.id, domain.id, importId, message.id, eventType.id]) expect(id).toBeGreaterThan(0);
    // A notification of account A; its user is the one created above.
    const { notify } = await import('../src/app/notifications/notify.ts');
    const notificationId = (await notify(env.deps, { accountId: A, kind: 'delivery_failed', title: `${MARK} notification`, body: MARK }))!;
    const userA: number = user.id;
    const notificationStates = () => db.selectFrom('notification_states').selectAll().where('notification_id', '=', notificationId).execute();

    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of ['contacts', 'lists', 'subscriptions', 'templates', 'campaigns', 'deliveries', 'sender_domains', 'import_jobs', 'caught_messages', 'api_keys', 'suppressions', 'audit_log', 'campaign_approvals', 'consent_requests', 'send_counters', 'segments', 'message_events', 'webhook_endpoints', 'provider_webhooks', 'one_off_messages', 'campaign_schedules', 'users', 'sessions', 'notifications', 'event_types', 'trigger_events', 'entity_states', 'campaign_triggers', 'trigger_firings'] as const) {
        out[t] = await db.selectFrom(t).selectAll().where('account_id', '=', A).execute();
      }
      out.accounts = await db.selectFrom('accounts').selectAll().where('id', '=', A).execute();
      return out;
    };
    const before = await snapshot();

    const ids: Record<string, number> = {
      contacts: contactId,
      lists: list.id,
      templates: template.id,
      campaigns: draft.id,
      'sender-domains': domain.id,
      imports: importId,
      outbox: caught.id,
      suppressions: suppression.id,
      segments: segment.id,
      webhooks: endpoint.id,
      'consent-requests': consentRequest.json.id,
      messages: message.id,
      deliveries: (await db.selectFrom('deliveries').select('id').where('campaign_id', '=', sending.id).executeTakeFirstOrThrow()).id,
      users: user.id,
      'api-keys': apiKey.id,
      notifications: notificationId,
      'event-types': eventType.id,
    };
    // The campaign actions that need a campaign in a particular state.
    const campaignFor: Record<string, number> = {
      pause: sending.id,
      cancel: sending.id,
      resume: sending.id,
      stats: sending.id,
      messages: sending.id,
      approve: awaiting.id,
      reject: awaiting.id,
      withdraw: awaiting.id,
      approvals: awaiting.id,
      schedule: recurring.id,
      deliveries: sending.id,
    };

    const bodies: Record<string, unknown> = {
      'POST /api/v1/api-keys': { name: 'b' },
      'POST /api/v1/contacts': { email: 'b@example.com', list_ids: [list.id] },
      'POST /api/v1/contacts/bulk': { contacts: [{ email: 'b2@example.com' }], list_ids: [list.id] },
      'PATCH /api/v1/contacts/:id': { first_name: 'changed' },
      'POST /api/v1/lists': { name: 'b list' },
      'PATCH /api/v1/lists/:id': { name: 'changed' },
      'POST /api/v1/lists/:id/subscriptions': { contact_ids: [contactId], status: 'unsubscribed' },
      'POST /api/v1/templates': { name: 'b', format: 'html', subject: 's', body: '<p>b</p>' },
      'POST /api/v1/templates/validate': { format: 'html', subject: 's', body: '<p>b</p>' },
      'PUT /api/v1/templates/:id': { subject: 'changed' },
      'POST /api/v1/templates/:id/preview': { contact_id: contactId },
      'POST /api/v1/campaigns': { name: 'b', template_id: template.id, audience: { list_ids: [list.id] } },
      'PATCH /api/v1/campaigns/:id': { name: 'changed' },
      'POST /api/v1/campaigns/:id/send': {},
      'POST /api/v1/campaigns/:id/launch': {},
      'POST /api/v1/campaigns/:id/approve': {},
      'POST /api/v1/campaigns/:id/reject': { comment: 'no' },
      'PUT /api/v1/account/approval': { required: false },
      'PUT /api/v1/campaigns/:id/schedule': { cron: '0 9 * * 1' },
      'POST /api/v1/sender-domains': { domain: 'b.example.com' },
      'POST /api/v1/sender-domains/:id/dkim': {},
      'POST /api/v1/contacts/import': 'email\nb3@example.com\n',
      'POST /api/v1/suppressions': { channel: 'email', address: 'b@example.com' },
      'POST /api/v1/suppressions/bulk': { channel: 'email', addresses: ['b4@example.com'] },
      'PUT /api/v1/account/profile': { company_name: 'B corp' },
      'PUT /api/v1/account/policy': { pacing: { timezone: 'Europe/Berlin' } },
      'POST /api/v1/consent-requests': { contact_id: doiContact, list_id: doiList.id },
      'POST /api/v1/segments': { name: 'b segment', rules: { all: [{ in_list: list.id }] } },
      'POST /api/v1/segments/count': { rules: { all: [{ in_list: list.id }] } },
      'PUT /api/v1/segments/:id': { name: 'changed' },
      'POST /api/v1/webhooks': { url: 'https://b.example.com/hook', events: ['sent'] },
      'PATCH /api/v1/webhooks/:id': { description: 'changed' },
      'POST /api/v1/webhooks/:id/test': {},
      'PUT /api/v1/provider-webhooks/:provider': { signing_key: 'b-key' },
      'POST /api/v1/messages': { contact: { id: contactId }, content: { subject: 's', html: '<p>b</p>' }, from_email: 'b@example.com' },
      'POST /api/v1/personal-links/verify': { token: personalLink },
      'POST /api/v1/users': { email: 'b-user@example.com', role: 'analyst', password: 'b-password-1' },
      'PATCH /api/v1/users/:id': { name: 'changed', disabled: true },
      'POST /api/v1/users/:id/password': { password: 'changed-password' },
      'POST /api/v1/auth/password': { current_password: `${MARK}-password`, new_password: 'changed-password' },
      'PUT /api/v1/notifications/email-subscription': { enabled: true, kinds: [] },
      'POST /api/v1/event-types': { name: 'b.type' },
      'POST /api/v1/events': { type: 'job.status_changed', entity: 'b-job', contacts: [{ id: contactId }], idempotency_key: 'b-key' },
      'PUT /api/v1/campaigns/:id/trigger': { event_type: 'job.status_changed' },
    };
    // Routes without an id that refer to this account's rows through their body or query.
    const referencing: Record<string, string> = {
      'POST /api/v1/contacts': 'list_ids',
      'POST /api/v1/contacts/bulk': 'list_ids',
      'POST /api/v1/campaigns': 'template_id',
      'POST /api/v1/contacts/import': 'list_id',
      'POST /api/v1/consent-requests': 'contact_id',
      'POST /api/v1/segments': 'rules.in_list',
      'POST /api/v1/segments/count': 'rules.in_list',
      'POST /api/v1/messages': 'contact.id',
      'GET /api/v1/notifications/email-subscription': 'user_id',
      'PUT /api/v1/notifications/email-subscription': 'user_id',
      'POST /api/v1/events': 'contacts[0].id',
    };

    const routes = buildRouteTable();
    const covered: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const resource = route.url.split('/')[3];
      // Provider webhooks are one per account and provider: B's calls reach B's own (mailgun).
      let url = route.url.replace(':contact_id', String(contactId)).replace(':provider', 'mailgun').replace(':entity', `${MARK}-job`);
      if (url.includes(':id')) {
        const action = route.url.split('/')[5];
        const id = resource === 'campaigns' && action && campaignFor[action] ? campaignFor[action] : ids[resource];
        expect(id, `no id of account A for ${key}`).toBeDefined();
        url = url.replace(':id', String(id));
      }
      if (key === 'POST /api/v1/contacts/import') url += `?list_id=${list.id}`;
      if (key === 'GET /api/v1/campaigns/:id/why') url += `?contact=${contactId}`;
      if (route.url === '/api/v1/notifications/email-subscription') url += `?user_id=${userA}`;
      // Account A's campaign ids asked for with B's key: an empty answer, never A's numbers.
      if (key === 'GET /api/v1/campaign-summaries') url += `?ids=${draft.id}&ids=${sending.id}`;
      const needsBody = route.schema?.body !== undefined || key === 'POST /api/v1/contacts/import';
      if (needsBody) expect(bodies, `add a body for ${key} to this test`).toHaveProperty([key]);
      const res = await api.call(route.method, url, needsBody ? bodies[key] : undefined, api.otherKey);
      covered.push(key);

      if (key === 'POST /api/v1/personal-links/verify') {
        // A's genuine link is, to B, a link whose signature does not match: nothing about A's contact.
        expect(res.status, `${key} with account B's key on account A's link`).toBe(422);
        expect(JSON.stringify(res.json ?? ''), `${key} leaked account A's data`).not.toContain(MARK);
      } else if (key === 'POST /api/v1/auth/password') {
        // B's key has no password of its own; A's user is out of reach.
        expect(res.status, `${key} with account B's key`).toBe(409);
      } else if (route.url.includes(':provider')) {
        // B's own configuration (absent at first: 404); never A's.
        expect([200, 204, 404], `${key} with account B's key`).toContain(res.status);
        expect(JSON.stringify(res.json ?? ''), `${key} leaked account A's data`).not.toContain(MARK);
      } else if (route.url.includes(':id') || route.url.includes(':entity') || referencing[key]) {
        expect(res.status, `${key} with account B's key on account A's data`).toBe(404);
      } else {
        expect(res.status, `${key} with account B's key`).toBeLessThan(300);
        // Lists of account B never show account A's rows.
        expect(JSON.stringify(res.json ?? ''), `${key} leaked account A's data`).not.toContain(MARK);
      }
    }
    expect(covered).toHaveLength(routes.length);
    // Account A is exactly as it was.
    expect(await snapshot()).toEqual(before);
    // B's read-all and reads touched no state of A's notification.
    expect(await notificationStates()).toEqual([]);
    // And account A's own key does see its data (the 404s above are not wrong URLs).
    expect((await api.call('GET', `/api/v1/contacts/${contactId}`)).status).toBe(200);
    expect((await api.call('GET', `/api/v1/outbox/${caught.id}`)).status).toBe(200);
    expect((await api.call('GET', `/api/v1/imports/${importId}`)).status).toBe(200);
    expect((await api.call('GET', `/api/v1/notifications/${notificationId}`)).status).toBe(200);
    expect((await api.call('GET', `/api/v1/notifications/email-subscription?user_id=${userA}`)).status).toBe(200);
    await api.app.close();
  });

  it('refuses requests without a valid key, and a role without the permission is told which role it needs', async () => {
    const env = get();
    const api = await createTestApi(env);
    const none = await api.app.inject({ method: 'GET', url: '/api/v1/lists' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatchObject({ code: 'unauthorized', field: 'authorization' });
    expect((await api.call('GET', '/api/v1/lists', undefined, 'hk_00000000_notarealkeyatallnotarealkey')).status).toBe(401);
    const { createApiKey } = await import('../src/app/accounts/api-keys.ts');
    const { key } = await createApiKey(env.deps, { accountId: api.accountId, name: 'analyst', role: 'analyst' });
    const denied = await api.call('POST', '/api/v1/lists', { name: 'x' }, key);
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toMatch(/lists:write.*owner, admin, editor.*analyst/);
    expect((await api.call('GET', '/api/v1/lists', undefined, key)).status).toBe(200);
    await api.app.close();
  });
});
