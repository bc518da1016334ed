// The notification center (F2.1-F2.4) on both dialects: who sees what (by the permission of each
// kind), read and deleted per principal, paging and filters, the email subscription of a user,
// the email copies sent by the worker step to a real SMTP server, and each hook producing exactly
// one notification.
import PostalMime from 'postal-mime';
import { expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor } from '../src/app/deps.ts';
import { AppError } from '../src/app/errors.ts';
import { importContactsCsv } from '../src/app/imports/import-contacts-csv.ts';
import { listNotifications } from '../src/app/notifications/list-notifications.ts';
import { notify } from '../src/app/notifications/notify.ts';
import { readEmailSubscription } from '../src/app/notifications/read-email-subscription.ts';
import { MAX_ATTEMPTS, sendNotificationEmails } from '../src/app/notifications/send-notification-emails.ts';
import { setEmailSubscription } from '../src/app/notifications/set-email-subscription.ts';
import { updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import { loadDailyLimitToday } from '../src/app/pacing/daily-limit-today.ts';
import { loadPacingPolicy } from '../src/app/pacing/account-policy.ts';
import { paceBatch } from '../src/app/pacing/pace-batch.ts';
import type { NotificationKind } from '../src/core/notification-kinds.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi } from './support/http.ts';
import { seedAccount, seedContacts, seedList, seedTemplate } from './support/seed.ts';
import type { SinkReply } from './support/smtp-sink.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runUntilIdle } from './support/run-worker.ts';

const T = '2026-03-01T00:00:00.000Z';

async function seedUser(env: TestEnv, accountId: number, email: string, role: string, sub: { enabled: boolean; kinds?: string[] } | null = null, disabled = false) {
  const r = await env.store.db
    .insertInto('users')
    .values({
      account_id: accountId,
      email,
      name: null,
      password_hash: 'not-a-real-hash',
      role,
      ...(sub ? { notify_email: JSON.stringify({ enabled: sub.enabled, kinds: sub.kinds ?? [] }) } : {}),
      created_at: T,
      updated_at: T,
      last_login_at: null,
      disabled_at: disabled ? T : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

const note = (env: TestEnv, accountId: number, kind: NotificationKind, title: string, dedupeKey?: string) =>
  notify(env.deps, { accountId, kind, title, body: `${title} — body`, data: { mark: title }, dedupeKey });

async function notificationsOf(env: TestEnv, accountId: number, kind?: NotificationKind) {
  let q = env.store.db.selectFrom('notifications').selectAll().where('account_id', '=', accountId).orderBy('id');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}

describeEachDialect('notification center', (get) => {
  it('shows each principal the kinds its role may see, with its own read state; deleting hides for that principal only', async () => {
    const env = get();
    const api = await createTestApi(env);
    const A = api.accountId;
    const analyst = (await createApiKey(env.deps, { accountId: A, name: 'analyst', role: 'analyst' })).key;
    const analyst2 = (await createApiKey(env.deps, { accountId: A, name: 'analyst 2', role: 'analyst' })).key;
    const editor = (await createApiKey(env.deps, { accountId: A, name: 'editor', role: 'editor' })).key;
    const sender = (await createApiKey(env.deps, { accountId: A, name: 'sender', role: 'sender' })).key;

    const failed = (await note(env, A, 'delivery_failed', 'Spring sale cannot be sent'))!;
    const approval = (await note(env, A, 'approval_requested', 'Spring sale waits for approval'))!;
    const confirm = (await note(env, A, 'run_awaiting_confirmation', 'Monday run waits'))!;
    const imported = (await note(env, A, 'import_failed', 'Import 3 failed'))!;
    await note(env, api.otherAccountId, 'delivery_failed', 'other account only');

    const ids = async (key: string, query = '') => {
      const r = await api.call('GET', `/api/v1/notifications${query}`, undefined, key);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json.items.map((n: { id: number }) => n.id);
    };
    // approval_requested and run_awaiting_confirmation need deliveries:start: owners and senders
    // see them, analysts and editors do not.
    expect(await ids(api.key)).toEqual([imported, confirm, approval, failed]);
    expect(await ids(sender)).toEqual([imported, confirm, approval, failed]);
    expect(await ids(analyst)).toEqual([imported, failed]);
    expect(await ids(editor)).toEqual([imported, failed]);
    // An invisible notification is "not found", like another account's.
    for (const [method, url] of [
      ['GET', `/api/v1/notifications/${approval}`],
      ['POST', `/api/v1/notifications/${approval}/read`],
      ['DELETE', `/api/v1/notifications/${approval}`],
    ] as const) {
      expect((await api.call(method, url, undefined, analyst)).status, `${method} ${url}`).toBe(404);
      expect((await api.call(method, url, undefined, api.otherKey)).status, `${method} ${url} other account`).toBe(404);
    }

    const count = async (key: string) => (await api.call('GET', '/api/v1/notifications/unread-count', undefined, key)).json;
    expect(await count(api.key)).toEqual({ unread: 4, by_severity: { error: 2, warning: 0, info: 2 } });
    expect((await count(analyst)).unread).toBe(2);

    // One analyst key reads: the other analyst key and the owner still have it unread.
    const read = await api.call('POST', `/api/v1/notifications/${failed}/read`, undefined, analyst);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id: failed, kind: 'delivery_failed', read: true, data: { mark: 'Spring sale cannot be sent' } });
    const readAt = read.json.read_at;
    env.clock.advance(60_000);
    expect((await api.call('POST', `/api/v1/notifications/${failed}/read`, undefined, analyst)).json.read_at).toBe(readAt); // the first read time stays
    expect((await count(analyst)).unread).toBe(1);
    expect((await count(analyst2)).unread).toBe(2);
    expect((await count(api.key)).unread).toBe(4);
    expect(await ids(analyst, '?unread=true')).toEqual([imported]);
    expect(await ids(analyst2, '?unread=true')).toEqual([imported, failed]);
    const item = (await api.call('GET', '/api/v1/notifications', undefined, analyst)).json.items.find((n: { id: number }) => n.id === failed);
    expect(item).toMatchObject({ read: true, read_at: readAt, severity: 'error', permission: 'campaigns:read' });

    // The owner deletes the import notification: gone for the owner only.
    expect((await api.call('DELETE', `/api/v1/notifications/${imported}`)).status).toBe(204);
    expect(await ids(api.key)).toEqual([confirm, approval, failed]);
    expect(await ids(analyst)).toEqual([imported, failed]);
    expect((await api.call('POST', `/api/v1/notifications/${imported}/read`)).status).toBe(404);
    expect((await count(api.key)).unread).toBe(3);

    // Read all: only this principal's visible ones.
    expect((await api.call('POST', '/api/v1/notifications/read-all', undefined, analyst2)).json).toEqual({ marked: 2 });
    expect((await count(analyst2)).unread).toBe(0);
    expect((await api.call('POST', '/api/v1/notifications/read-all', undefined, analyst2)).json).toEqual({ marked: 0 });
    expect((await count(analyst)).unread).toBe(1);
    expect((await count(api.key)).unread).toBe(3);
    expect((await api.call('POST', '/api/v1/notifications/read-all')).json).toEqual({ marked: 3 });
    // The deleted one stays deleted (read-all did not bring it back).
    expect(await ids(api.key)).toEqual([confirm, approval, failed]);

    // Filters.
    expect(await ids(api.key, '?kind=approval_requested')).toEqual([approval]);
    expect(await ids(sender, '?severity=error')).toEqual([imported, failed]);
    const bad = await api.call('GET', '/api/v1/notifications?kind=spam_alert');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_request', field: 'kind' });
    expect(bad.json.error.message).toContain('must be one of delivery_zero_recipients, delivery_failed');
    // The CLI's way (no schema in front): the use case says the same.
    await expect(listNotifications(env.deps, { accountId: A, role: 'owner', label: 'cli' }, { kind: 'spam_alert' })).rejects.toMatchObject({ code: 'invalid_input', field: 'kind' });
    await expect(listNotifications(env.deps, { accountId: A, role: 'owner', label: 'cli' }, { severity: 'fatal' })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'severity',
      message: 'unknown severity "fatal"; one of info, warning, error',
    });

    // The other account sees only its own.
    const other = (await api.call('GET', '/api/v1/notifications', undefined, api.otherKey)).json.items;
    expect(other.map((n: { title: string }) => n.title)).toEqual(['other account only']);
    await api.app.close();
  });

  it('pages newest first by id, without gaps or repeats', async () => {
    const env = get();
    const api = await createTestApi(env);
    const made: number[] = [];
    for (let i = 0; i < 7; i++) made.push((await note(env, api.accountId, i % 2 ? 'limit_reached' : 'delivery_paused', `n${i}`))!);
    const seen: number[] = [];
    let before: number | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await api.call('GET', `/api/v1/notifications?limit=3${before ? `&before=${before}` : ''}`);
      expect(r.json.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.json.items.map((n: { id: number }) => n.id));
      before = r.json.next_before;
      if (before === null) break;
    }
    expect(seen).toEqual([...made].reverse());
    await api.app.close();
  });

  it('keeps one notification per dedupe key', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Dedupe');
    expect(await note(env, accountId, 'limit_reached', 'limit', 'limit_reached:email:2026-03-02')).not.toBeNull();
    expect(await note(env, accountId, 'limit_reached', 'limit again', 'limit_reached:email:2026-03-02')).toBeNull();
    expect(await notificationsOf(env, accountId)).toHaveLength(1);
  });
});

describeEachDialect('notification email subscriptions', (get) => {
  it('belongs to users: an API key is told so, an admin may set another user’s, kinds are checked', async () => {
    const env = get();
    const api = await createTestApi(env);
    const A = api.accountId;
    const ann = await seedUser(env, A, 'ann@acme.example', 'analyst');
    const otherUser = await seedUser(env, api.otherAccountId, 'bob@other.example', 'owner');
    const analystKey = (await createApiKey(env.deps, { accountId: A, name: 'analyst', role: 'analyst' })).key;

    const own = await api.call('GET', '/api/v1/notifications/email-subscription');
    // invalid_input is 422 in Herald, like every use-case refusal of well-formed input.
    expect(own.status).toBe(422);
    expect(own.json.error).toMatchObject({ code: 'invalid_input', field: 'user_id' });
    expect(own.json.error.message).toMatch(/email subscriptions belong to users/);

    const initial = await api.call('GET', `/api/v1/notifications/email-subscription?user_id=${ann}`);
    expect(initial.status).toBe(200);
    expect(initial.json).toMatchObject({ user_id: ann, email: 'ann@acme.example', enabled: false, kinds: [] });
    expect(initial.json.available_kinds).toContain('delivery_failed');
    expect(initial.json.available_kinds).not.toContain('approval_requested');

    // Bad input changes nothing.
    const unknown = await api.call('PUT', `/api/v1/notifications/email-subscription?user_id=${ann}`, { enabled: true, kinds: ['spam_alert', 'delivery_failed'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'invalid_request', field: 'kinds[0]' });
    expect(unknown.json.error.message).toMatch(/^kinds\[0\]: must be one of delivery_zero_recipients, /);
    await expect(setEmailSubscription(env.deps, { accountId: A, role: 'owner', label: 'cli' }, { enabled: true, kinds: ['spam_alert'] }, { userId: ann })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'kinds[0]',
      message: expect.stringContaining('unknown notification kind "spam_alert"'),
    });
    const unseen = await api.call('PUT', `/api/v1/notifications/email-subscription?user_id=${ann}`, { enabled: true, kinds: ['delivery_failed', 'approval_requested'] });
    expect(unseen.status).toBe(422);
    expect(unseen.json.error).toMatchObject({ field: 'kinds[1]' });
    expect(unseen.json.error.message).toMatch(/deliveries:start/);
    expect((await api.call('GET', `/api/v1/notifications/email-subscription?user_id=${ann}`)).json).toMatchObject({ enabled: false, kinds: [] });

    const set = await api.call('PUT', `/api/v1/notifications/email-subscription?user_id=${ann}`, { enabled: true, kinds: ['delivery_failed', 'import_failed', 'delivery_failed'] });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ enabled: true, kinds: ['delivery_failed', 'import_failed'] });
    const audit = await env.store.db.selectFrom('audit_log').selectAll().where('account_id', '=', A).where('subject', '=', `user:${ann}`).execute();
    expect(audit.map((a) => a.action)).toEqual(['notification.email_subscription']);

    // Without users:manage: only one's own.
    const denied = await api.call('GET', `/api/v1/notifications/email-subscription?user_id=${ann}`, undefined, analystKey);
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toMatch(/users:manage/);
    // Another account's user does not exist here.
    expect((await api.call('GET', `/api/v1/notifications/email-subscription?user_id=${otherUser}`)).status).toBe(404);
    expect((await api.call('PUT', `/api/v1/notifications/email-subscription?user_id=${ann}`, { enabled: false }, api.otherKey)).status).toBe(404);

    // A signed-in user reads and changes their own, without users:manage; kinds kept when omitted.
    const annActor: Actor = { accountId: A, role: 'analyst', label: `user:${ann}`, userId: ann };
    expect(await readEmailSubscription(env.deps, annActor)).toMatchObject({ user_id: ann, enabled: true, kinds: ['delivery_failed', 'import_failed'] });
    expect(await setEmailSubscription(env.deps, annActor, { enabled: false })).toMatchObject({ enabled: false, kinds: ['delivery_failed', 'import_failed'] });
    await expect(readEmailSubscription(env.deps, annActor, { userId: otherUser })).rejects.toMatchObject({ code: 'forbidden' });
    // The CLI's way: by email, as the account owner.
    const cli: Actor = { accountId: A, role: 'owner', label: 'cli' };
    expect(await setEmailSubscription(env.deps, cli, { enabled: true, kinds: [] }, { email: 'ANN@acme.example' })).toMatchObject({ user_id: ann, enabled: true, kinds: [] });
    await expect(setEmailSubscription(env.deps, cli, { enabled: true }, { email: 'nobody@acme.example' })).rejects.toBeInstanceOf(AppError);
    await api.app.close();
  });
});

describeEachDialect('notification emails', (get) => {
  let refuse: (rcpt: string) => SinkReply | null = () => null;
  const smtp = smtpSinkForBlock({ replyFor: (rcpt) => refuse(rcpt) });

  it('go to subscribed users whose role sees the kind, through the worker step, once each', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Mail Co');
    const admin = await seedUser(env, accountId, 'admin@mail.example', 'admin', { enabled: true });
    await seedUser(env, accountId, 'analyst@mail.example', 'analyst', { enabled: true });
    await seedUser(env, accountId, 'editor@mail.example', 'editor', { enabled: false });
    await seedUser(env, accountId, 'sender@mail.example', 'sender', { enabled: true, kinds: ['delivery_failed'] });
    await seedUser(env, accountId, 'gone@mail.example', 'owner', { enabled: true }, true);
    await seedUser(env, accountId, 'quiet@mail.example', 'owner');
    const other = await seedAccount(env.deps, 'Other Mail Co');
    await seedUser(env, other, 'outsider@other.example', 'owner', { enabled: true });

    const approval = (await note(env, accountId, 'approval_requested', 'Spring sale waits for approval'))!;
    const failed = (await note(env, accountId, 'delivery_failed', 'Spring sale cannot be sent'))!;
    const rows = await env.store.db.selectFrom('notification_emails').selectAll().where('notification_id', 'in', [approval, failed]).execute();
    const users = await env.store.db.selectFrom('users').select(['id', 'email']).execute();
    const emailOf = new Map(users.map((u) => [Number(u.id), u.email]));
    const queued = (n: number) => rows.filter((r) => Number(r.notification_id) === n).map((r) => emailOf.get(Number(r.user_id))).sort();
    // The analyst cannot see approval requests; the sender chose delivery_failed only.
    expect(queued(approval)).toEqual(['admin@mail.example']);
    expect(queued(failed)).toEqual(['admin@mail.example', 'analyst@mail.example', 'sender@mail.example']);

    const before = smtp.sink.count();
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    await runUntilIdle(worker);
    expect(smtp.sink.count() - before).toBe(4);
    const got = smtp.sink.messages.slice(before);
    expect(got.map((m) => m.to[0]).sort()).toEqual(['admin@mail.example', 'admin@mail.example', 'analyst@mail.example', 'sender@mail.example']);
    const toAdmin = got.find((m) => m.to[0] === 'admin@mail.example' && m.subject.includes('approval'))!;
    expect(toAdmin.subject).toBe('[Herald] Spring sale waits for approval');
    expect(toAdmin.headers.from).toContain('herald@localhost');
    expect(toAdmin.headers['auto-submitted']).toBe('auto-generated');
    const parsed = await PostalMime.parse(toAdmin.raw);
    expect(parsed.text).toContain('Spring sale waits for approval — body');
    expect(parsed.text).toContain(`${env.deps.config.publicUrl}/#/notifications/${approval}`);
    expect(parsed.html).toContain(`/#/notifications/${approval}`);
    const after = await env.store.db.selectFrom('notification_emails').selectAll().where('user_id', '=', admin).execute();
    expect(after.map((r) => [r.status, r.attempts, r.sent_at])).toEqual([
      ['sent', 1, env.clock.now().toISOString()],
      ['sent', 1, env.clock.now().toISOString()],
    ]);
    // Nothing is sent twice.
    expect(await sendNotificationEmails(env.deps, smtp.transport, env.clock.now())).toBe(0);
    expect(smtp.sink.count() - before).toBe(4);
  });

  it('is claimed by one of many workers; 4xx is retried later, 5xx fails with the reply kept', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Retry Co');
    const ok = await seedUser(env, accountId, 'ok@retry.example', 'owner', { enabled: true });
    const grey = await seedUser(env, accountId, 'grey@retry.example', 'owner', { enabled: true });
    const gone = await seedUser(env, accountId, 'gone@retry.example', 'owner', { enabled: true });
    refuse = (rcpt) =>
      rcpt.startsWith('grey@') ? { code: 451, message: '4.7.1 Greylisted, try again later' } : rcpt.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : null;
    try {
      const id = (await note(env, accountId, 'delivery_paused', 'Paused: the sender is refused'))!;
      const before = smtp.sink.count();
      // Three workers at once: each copy is handed off once.
      const sent = await Promise.all([0, 1, 2].map(() => sendNotificationEmails(env.deps, smtp.transport, env.clock.now())));
      expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
      expect(smtp.sink.count() - before).toBe(1);
      const row = async (user: number) =>
        env.store.db.selectFrom('notification_emails').selectAll().where('notification_id', '=', id).where('user_id', '=', user).executeTakeFirstOrThrow();
      expect(await row(ok)).toMatchObject({ status: 'sent', attempts: 1 });
      const greyRow = await row(grey);
      expect(greyRow).toMatchObject({ status: 'pending', attempts: 1 });
      expect(greyRow.last_error).toMatch(/^deferred: .*451/);
      expect(greyRow.send_after! > env.clock.now().toISOString()).toBe(true);
      const goneRow = await row(gone);
      expect(goneRow).toMatchObject({ status: 'failed', attempts: 1 });
      expect(goneRow.last_error).toMatch(/550/);

      // Not due yet: nothing. After the backoff the server accepts.
      expect(await sendNotificationEmails(env.deps, smtp.transport, env.clock.now())).toBe(0);
      refuse = () => null;
      env.clock.advance(10 * 60_000);
      expect(await sendNotificationEmails(env.deps, smtp.transport, env.clock.now())).toBe(1);
      expect(await row(grey)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
      expect((await row(gone)).status).toBe('failed');

      // A server that keeps deferring: given up after MAX_ATTEMPTS.
      refuse = (rcpt) => (rcpt.startsWith('grey@') ? { code: 451, message: '4.7.1 Greylisted' } : null);
      const id2 = (await note(env, accountId, 'delivery_paused', 'Paused again'))!;
      await sendNotificationEmails(env.deps, smtp.transport, env.clock.now());
      for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
        env.clock.advance(3 * 3600_000);
        await sendNotificationEmails(env.deps, smtp.transport, env.clock.now());
      }
      const last = await env.store.db.selectFrom('notification_emails').selectAll().where('notification_id', '=', id2).where('user_id', '=', grey).executeTakeFirstOrThrow();
      expect(last).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
      expect(last.last_error).toMatch(/451/);
    } finally {
      refuse = () => null;
    }
  });

  it('a copy whose user unsubscribed or was disabled before the send is not sent', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Change Co');
    const u = await seedUser(env, accountId, 'changed@mind.example', 'owner', { enabled: true });
    const id = (await note(env, accountId, 'limit_reached', 'Limit'))!;
    await setEmailSubscription(env.deps, { accountId, role: 'owner', label: 'cli' }, { enabled: false }, { userId: u });
    const before = smtp.sink.count();
    expect(await sendNotificationEmails(env.deps, smtp.transport, env.clock.now())).toBe(0);
    expect(smtp.sink.count()).toBe(before);
    const r = await env.store.db.selectFrom('notification_emails').selectAll().where('notification_id', '=', id).executeTakeFirstOrThrow();
    expect(r.status).toBe('failed');
    expect(r.last_error).toMatch(/^not sent: changed@mind.example/);
  });
});

describeEachDialect('notification hooks', (get) => {
  let refuse: (rcpt: string) => SinkReply | null = () => null;
  const smtp = smtpSinkForBlock({ replyFor: (rcpt) => refuse(rcpt) });

  async function campaignSetup(env: TestEnv, name: string) {
    const accountId = await seedAccount(env.deps, name);
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(env.store.db, accountId, 'Customers');
    const template = await seedTemplate(env.store.db, accountId);
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    return { accountId, actor, list, template, worker };
  }

  it('a delivery that reaches 0 recipients: one notification with the funnel and the diagnosis', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await campaignSetup(env, 'Zero Co');
    const [a, b] = await seedContacts(env.store.db, accountId, [
      { email: 'a@zero.example.com', lists: [[list, 'subscribed']] },
      { email: 'b@zero.example.com', lists: [[list, 'subscribed']] },
      { phone: '+491701234567', lists: [[list, 'subscribed']] },
    ]);
    const campaign = await createCampaign(env.deps, actor, { name: 'Spring sale', template_id: template, from_email: 'news@zero.example.com', audience: { list_ids: [list] } });
    // Scheduled with 2 recipients (the pre-flight lets it go); by the send time both unsubscribed.
    await sendCampaign(env.deps, actor, campaign.id, { at: new Date(env.clock.now().getTime() + 3600_000).toISOString() });
    await env.store.db.updateTable('subscriptions').set({ status: 'unsubscribed' }).where('contact_id', 'in', [a, b]).execute();
    env.clock.advance(2 * 3600_000);
    await runUntilIdle(worker);
    const delivery = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('completed');
    const found = await notificationsOf(env, accountId, 'delivery_zero_recipients');
    expect(found).toHaveLength(1);
    const n = found[0];
    expect(n.title).toBe('Campaign "Spring sale" reached 0 recipients');
    expect(n.body).toMatch(/^0 recipients: lists Customers \(3\) hold 3/);
    expect(n.body).toContain('unsubscribed');
    expect([n.subject_type, Number(n.subject_id)]).toEqual(['campaign', campaign.id]);
    const data = JSON.parse(n.data);
    expect(data).toMatchObject({ campaign_id: campaign.id, delivery_id: Number(delivery.id), lists: [{ name: 'Customers', members: 3 }] });
    expect(data.summary).toBe(n.body.split('\n')[0]);
    const stage = (s: string) => data.funnel.find((f: { stage: string }) => f.stage === s);
    expect(stage('in_lists').count).toBe(3);
    expect(stage('reachable').count).toBe(2);
    expect(stage('not_suppressed').count).toBe(0);
    expect(stage('not_suppressed').lost).toMatchObject([{ reason: 'unsubscribed', count: 2 }]);
    // Other outcomes are not reported as 0 recipients.
    expect(await notificationsOf(env, accountId)).toHaveLength(1);
  });

  it('a delivery that cannot be sent at all, and one paused for sender failures: one notification each', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await campaignSetup(env, 'Broken Co');
    await seedContacts(env.store.db, accountId, [{ email: 'x@broken.example.com', lists: [[list, 'subscribed']] }]);
    const broken = await createCampaign(env.deps, actor, { name: 'No sender', template_id: template, from_email: 'news@broken.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, broken.id);
    // The sender address disappears after the launch: the worker cannot build the delivery.
    await env.store.db.updateTable('campaigns').set({ from_email: null }).where('id', '=', broken.id).execute();
    await runUntilIdle(worker);
    const d = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', broken.id).executeTakeFirstOrThrow();
    expect(d.status).toBe('paused');
    const failed = await notificationsOf(env, accountId, 'delivery_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].body).toContain('has no sender address');
    expect(JSON.parse(failed[0].data)).toMatchObject({ campaign_id: broken.id, delivery_id: Number(d.id) });
    await runUntilIdle(worker);
    expect(await notificationsOf(env, accountId, 'delivery_failed')).toHaveLength(1);

    // The template compiles but renders for nobody (a personal link longer than 30 days): every
    // message fails with render_failed and the delivery completes having sent nothing — say so.
    const laterBad = await seedTemplate(env.store.db, accountId);
    const unrendered = await createCampaign(env.deps, actor, { name: 'Unrendered', template_id: laterBad, from_email: 'news@broken.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, unrendered.id);
    // changed after the launch's pre-flight (which would have refused it)
    await env.store.db
      .updateTable('templates')
      .set({ body: '<p><a href="{{ "https://a.example/x" | personal_link: "90d" }}">x</a> <a href="{{ unsubscribe_url }}">u</a></p>' })
      .where('id', '=', laterBad)
      .execute();
    await runUntilIdle(worker);
    const d3 = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', unrendered.id).executeTakeFirstOrThrow();
    expect(d3.status).toBe('completed');
    const nothingSent = (await notificationsOf(env, accountId, 'delivery_failed')).filter((n) => JSON.parse(n.data).campaign_id === unrendered.id);
    expect(nothingSent).toHaveLength(1);
    expect(nothingSent[0].title).toBe('Campaign "Unrendered" sent nothing: 1 failed');
    expect(nothingSent[0].body).toContain('render_failed');
    expect(nothingSent[0].body).toContain('longer than the maximum of 30d');
    await runUntilIdle(worker);
    expect((await notificationsOf(env, accountId, 'delivery_failed')).filter((n) => JSON.parse(n.data).campaign_id === unrendered.id)).toHaveLength(1);

    // 60 recipients, all refused for policy reasons (5.7.1): Herald pauses the delivery.
    const list2 = await seedList(env.store.db, accountId, 'Blocked');
    await seedContacts(
      env.store.db,
      accountId,
      Array.from({ length: 60 }, (_, i) => ({ email: `r${i}@blocked.example.com`, lists: [[list2, 'subscribed']] as Array<[number, 'subscribed']> })),
    );
    refuse = (rcpt) => (rcpt.endsWith('@blocked.example.com') ? { code: 554, message: '5.7.1 Service unavailable; client host blocked using zen.spamhaus.org' } : null);
    try {
      const blocked = await createCampaign(env.deps, actor, { name: 'Blocked', template_id: template, from_email: 'news@broken.example.com', audience: { list_ids: [list2] } });
      await sendCampaign(env.deps, actor, blocked.id);
      await runUntilIdle(worker);
      const d2 = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', blocked.id).executeTakeFirstOrThrow();
      expect(d2.status).toBe('paused');
      const paused = await notificationsOf(env, accountId, 'delivery_paused');
      expect(paused).toHaveLength(1);
      expect(paused[0].title).toBe('Campaign "Blocked" was paused: the sender is being refused');
      expect(JSON.parse(paused[0].data)).toMatchObject({ campaign_id: blocked.id, reason: 'sender_failing' });
    } finally {
      refuse = () => null;
    }
  });

  it('a daily limit reached twice in a day is one notification; the next day is another', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Limit Co');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    await updatePacingPolicy(env.deps, actor, { daily_limit: { email: 1 } });
    const batch = (now: Date, first: number) =>
      paceBatch(env.deps, {
        accountId,
        channel: 'email',
        campaignKind: 'one-off',
        campaignSettings: '{}',
        now,
        candidates: [first, first + 1, first + 2].map((id) => ({ messageId: id, address: `m${id}@limit.example`, contactTimezone: null })),
      });
    const r1 = await batch(new Date('2026-03-02T12:00:00.000Z'), 1);
    expect([...r1.held.values()].filter((h) => h.reason === 'daily_limit')).toHaveLength(2);
    await batch(new Date('2026-03-02T15:00:00.000Z'), 10);
    const found = await notificationsOf(env, accountId, 'limit_reached');
    expect(found).toHaveLength(1);
    expect(found[0].title).toBe('The email daily limit of 1 is reached for 2026-03-02');
    expect(found[0].body).toContain('2026-03-03T00:00:00.000Z');
    expect(JSON.parse(found[0].data)).toMatchObject({ channel: 'email', day: '2026-03-02', limit: 1 });
    await batch(new Date('2026-03-03T12:00:00.000Z'), 20);
    expect(await notificationsOf(env, accountId, 'limit_reached')).toHaveLength(2);
  });

  it('a complaint rate that lowers the daily limit: one notification per day', async () => {
    const env = get();
    const { accountId, actor, list, template } = await campaignSetup(env, 'Complaint Co');
    await updatePacingPolicy(env.deps, actor, { daily_limit: { email: 1000 }, complaint_adaptive: { shrink_above: 0.05, grow_below: 0.01, stop_at: 0.5 } });
    // Ten messages sent yesterday, one marked as spam: 10 %.
    const contacts = await seedContacts(env.store.db, accountId, Array.from({ length: 10 }, (_, i) => ({ email: `c${i}@complaint.example`, lists: [[list, 'subscribed']] as Array<[number, 'subscribed']> })));
    const campaign = await createCampaign(env.deps, actor, { name: 'Sent', template_id: template, from_email: 'news@complaint.example', audience: { list_ids: [list] } });
    const delivery = await env.store.db
      .insertInto('deliveries')
      .values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T, prepared_at: T, started_at: T, finished_at: T, status_reason: null, run_key: null, audience: null, context: null, created_by: null, created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sentAt = '2026-03-01T10:00:00.000Z';
    await env.store.db
      .insertInto('messages')
      .values(
        contacts.map((c, i) => ({
          account_id: accountId,
          delivery_id: Number(delivery.id),
          campaign_id: campaign.id,
          contact_id: c,
          channel: 'email',
          address: `c${i}@complaint.example`,
          status: 'sent',
          sent_at: sentAt,
          complained_at: i === 0 ? '2026-03-01T12:00:00.000Z' : null,
          created_at: sentAt,
          updated_at: sentAt,
        })),
      )
      .execute();
    const policy = await loadPacingPolicy(env.deps, accountId);
    const today = await loadDailyLimitToday(env.deps, { accountId, channel: 'email', policy, now: new Date('2026-03-02T10:00:00.000Z') });
    expect(today.state).toBe('shrink');
    expect(today.limit).toBe(900);
    await loadDailyLimitToday(env.deps, { accountId, channel: 'email', policy, now: new Date('2026-03-02T11:00:00.000Z') });
    const found = await notificationsOf(env, accountId, 'complaint_rate_high');
    expect(found).toHaveLength(1);
    expect(found[0].title).toBe('Too many spam complaints: the email daily limit was lowered');
    expect(found[0].body).toContain('complaint rate 10 % over 7 days (1 of 10)');
    expect(JSON.parse(found[0].data)).toMatchObject({ state: 'shrink', limit: 900, day: '2026-03-02' });
    // Reading the limits for a person decides nothing and reports nothing.
    await loadDailyLimitToday(env.deps, { accountId, channel: 'email', policy, now: new Date('2026-03-03T10:00:00.000Z'), record: false });
    expect(await notificationsOf(env, accountId, 'complaint_rate_high')).toHaveLength(1);
  });

  it('an import with rejected rows, and one that fails: one notification each, with line and field', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Import Co');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const job = await importContactsCsv(env.deps, actor, { stream: ['email,first_name\nok@import.example,Ok\nnot-an-email,Bad\nok2@import.example,Ok\n'], source: 'test' });
    expect(job).toMatchObject({ status: 'completed', failed_rows: 1 });
    const found = await notificationsOf(env, accountId, 'import_failed');
    expect(found).toHaveLength(1);
    expect(found[0].title).toBe(`Contact import ${job.id} rejected 1 of 3 rows`);
    expect(found[0].body).toContain('3 rows read, 2 imported, 1 rejected.');
    expect(found[0].body).toMatch(/line 3, email: /);
    expect(JSON.parse(found[0].data)).toMatchObject({ import_id: job.id, failed_rows: 1, errors: [{ line: 3, field: 'email' }] });

    // A clean import says nothing.
    await importContactsCsv(env.deps, actor, { stream: ['email\nclean@import.example\n'], source: 'test' });
    expect(await notificationsOf(env, accountId, 'import_failed')).toHaveLength(1);

    // A file whose header cannot be used: the job fails, and that is reported too.
    await expect(importContactsCsv(env.deps, actor, { stream: ['first_name,first_name\nA,B\n'], source: 'test' })).rejects.toBeInstanceOf(AppError);
    const all = await notificationsOf(env, accountId, 'import_failed');
    expect(all).toHaveLength(2);
    expect(all[1].title).toMatch(/^Contact import \d+ failed$/);
    expect(all[1].body).toMatch(/line 1, /);
  });
});
