// Approval of launches (F4.2) through the HTTP API on both dialects, with keys of different roles
// (each key's actor label is a different person for four-eyes): an editor's launch waits for
// approval, only holders of deliveries:start approve, under four-eyes never the author or the
// requester; approval starts the campaign and a worker sends it to a real SMTP server; reject,
// withdraw, scheduled times, racing approvers, a pre-flight that fails while waiting, the audit
// log in order, and launching without the approval rule.
import { expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi } from './support/http.ts';
import { seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runUntilIdle } from './support/run-worker.ts';

interface Keys {
  owner: string;
  editor: string;
  sender: string;
  sender2: string;
  analyst: string;
}

describeEachDialect('approval of launches', (get) => {

  const smtp = smtpSinkForBlock();

  /** A fresh account with a key per role, a list of three subscribed contacts and a template. */
  async function setup(env: TestEnv) {
    const api = await createTestApi(env);
    const key = async (role: string, name = role) => (await createApiKey(env.deps, { accountId: api.accountId, name, role })).key;
    const keys: Keys = { owner: api.key, editor: await key('editor'), sender: await key('sender'), sender2: await key('sender', 'sender2'), analyst: await key('analyst') };
    const labels: Record<keyof Keys, string> = { owner: '', editor: '', sender: '', sender2: '', analyst: '' };
    for (const k of Object.keys(keys) as (keyof Keys)[]) {
      const prefix = keys[k].slice(0, 11);
      const row = await env.store.db.selectFrom('api_keys').select('id').where('key_prefix', '=', prefix).executeTakeFirstOrThrow();
      labels[k] = `api_key:${row.id}`;
    }
    const list = await seedList(env.store.db, api.accountId, 'Customers');
    const tag = Math.random().toString(36).slice(2, 8);
    await seedContacts(env.store.db, api.accountId, [
      { email: `anna-${tag}@example.com`, first_name: 'Anna', lists: [[list, 'subscribed']] },
      { email: `ben-${tag}@example.com`, first_name: 'Ben', lists: [[list, 'subscribed']] },
      { email: `cleo-${tag}@example.com`, lists: [[list, 'subscribed']] },
    ]);
    const template = await seedTemplate(env.store.db, api.accountId);
    const worker = createDeliveryWorker({ ...env.deps, config: { ...env.deps.config, worker: { ...env.deps.config.worker, batchSize: 100, concurrency: 2 } } }, smtp.transport);
    const campaign = async (by: string, name = 'Spring sale') => {
      const res = await api.call('POST', '/api/v1/campaigns', { name, template_id: template, from_email: 'news@studio.example.com', audience: { list_ids: [list] } }, by);
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.id as number;
    };
    const rule = async (required: boolean, four_eyes: boolean) => {
      const res = await api.call('PUT', '/api/v1/account/approval', { required, four_eyes });
      expect(res.json).toEqual({ required, four_eyes });
    };
    const state = async (id: number) => {
      const c = (await api.call('GET', `/api/v1/campaigns/${id}`)).json;
      const approvals = (await api.call('GET', `/api/v1/campaigns/${id}/approvals`)).json.items;
      const deliveries = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', id).execute();
      return { status: c.status, pending: c.pending_approval ?? null, approvals, deliveries: deliveries.length };
    };
    return { api, keys, labels, list, template, worker, campaign, rule, state };
  }

  it('an editor launches; analysts and, under four-eyes, the author or requester cannot approve; another sender approves and the worker sends', async () => {
    const env = get();
    const { api, keys, labels, worker, campaign, rule, state } = await setup(env);
    expect((await api.call('GET', '/api/v1/account/approval')).json).toEqual({ required: false, four_eyes: false });
    await rule(true, true);
    expect((await api.call('GET', '/api/v1/account/approval', undefined, keys.analyst)).json).toEqual({ required: true, four_eyes: true });
    expect((await api.call('PUT', '/api/v1/account/approval', { required: false }, keys.editor)).status).toBe(403);

    const id = await campaign(keys.editor);
    const launched = await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);
    expect(launched.status, JSON.stringify(launched.json)).toBe(200);
    expect(launched.json.status).toBe('awaiting_approval');
    expect(launched.json.notice).toMatch(/awaits approval.*deliveries:start \(roles owner, admin, sender\)/);
    expect(launched.json.notice).toContain(`other than ${labels.editor} (its author and requester) approves it`);
    expect(launched.json.pending_approval).toMatchObject({ requested_by: labels.editor, requested_at: '2026-03-02T10:00:00.000Z', send_at: null });

    const note = await env.store.db.selectFrom('notifications').selectAll().where('account_id', '=', api.accountId).where('kind', '=', 'approval_requested').executeTakeFirstOrThrow();
    expect(note.permission).toBe('deliveries:start');
    expect(note.subject_id).toBe(id);
    expect(note.body).toContain(labels.editor);
    expect(JSON.parse(note.data)).toMatchObject({ campaign_id: id, requested_by: labels.editor, requested_at: '2026-03-02T10:00:00.000Z', send_at: null, author: labels.editor });

    const queue = await api.call('GET', '/api/v1/approvals?status=pending', undefined, keys.analyst);
    expect(queue.json.items).toHaveLength(1);
    expect(queue.json.items[0]).toMatchObject({ campaign_id: id, status: 'pending', requested_by: labels.editor, campaign: { name: 'Spring sale', created_by: labels.editor } });

    // An analyst cannot approve: told which roles can.
    const byAnalyst = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.analyst);
    expect(byAnalyst.status).toBe(403);
    expect(byAnalyst.json.error.message).toMatch(/deliveries:start.*owner, admin, sender.*analyst/);

    // The same campaign launched by a sender through /send: the sender is now the requester.
    expect((await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.editor)).json.status).toBe('draft');
    const bySend = await api.call('POST', `/api/v1/campaigns/${id}/send`, {}, keys.sender);
    expect(bySend.json.status).toBe('awaiting_approval');
    expect(bySend.json.notice).toMatch(/awaits approval/);
    expect(bySend.json.notice).toContain(`other than the author (${labels.editor}) and the requester (${labels.sender}) approves it`);
    expect(bySend.json.pending_approval.requested_by).toBe(labels.sender);
    const before = await state(id);
    const own = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender);
    expect(own.status).toBe(403);
    expect(own.json.error).toMatchObject({ code: 'forbidden', field: 'approver' });
    expect(own.json.error.message).toMatch(new RegExp(`four-eyes is on.*written by ${labels.editor}.*requested by ${labels.sender}.*you \\(${labels.sender}\\) are its requester`));
    expect(await state(id)).toEqual(before);

    const approved = await api.call('POST', `/api/v1/campaigns/${id}/approve`, { comment: 'looks good' }, keys.sender2);
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json.status).toBe('sending');
    expect(approved.json.pending_approval).toBeUndefined();
    const given = await env.store.db.selectFrom('notifications').selectAll().where('account_id', '=', api.accountId).where('kind', '=', 'approval_given').executeTakeFirstOrThrow();
    expect(given.body).toContain(labels.sender2);
    expect((await api.call('GET', '/api/v1/approvals?status=pending')).json.items).toHaveLength(0);
    const history = (await api.call('GET', `/api/v1/campaigns/${id}/approvals`)).json.items;
    expect(history.map((a: { status: string; decided_by: string | null }) => [a.status, a.decided_by])).toEqual([
      ['withdrawn', labels.editor],
      ['approved', labels.sender2],
    ]);
    expect(history[1].comment).toBe('looks good');

    const sent = smtp.sink.count();
    await runUntilIdle(worker);
    expect(smtp.sink.count() - sent).toBe(3);
    expect((await api.call('GET', `/api/v1/campaigns/${id}`)).json.status).toBe('completed');
    await api.app.close();
  });

  it('under four-eyes the author cannot approve the launch they asked for; without four-eyes the author may', async () => {
    const env = get();
    const { api, keys, labels, campaign, rule, state } = await setup(env);
    await rule(true, true);
    const id = await campaign(keys.owner);
    const launched = (await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.owner)).json;
    expect(launched.status).toBe('awaiting_approval');
    // one person who wrote and asked is named once, not "the author (api_key:1) and api_key:1"
    expect(launched.notice).toContain(`other than ${labels.owner} (its author and requester) approves it`);
    const before = await state(id);
    const own = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.owner);
    expect(own.status).toBe(403);
    expect(own.json.error.field).toBe('approver');
    expect(own.json.error.message).toMatch(new RegExp(`four-eyes is on.*written by ${labels.owner}.*are its author`));
    expect(await state(id)).toEqual(before);

    // The author cannot approve even when someone else asked.
    expect((await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.owner)).status).toBe(200);
    expect((await api.call('POST', `/api/v1/campaigns/${id}/send`, {}, keys.sender)).json.status).toBe('awaiting_approval');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.owner)).json.error.message).toMatch(/are its author/);

    await rule(true, false);
    expect((await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.sender)).status).toBe(200);
    expect((await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.owner)).json.pending_approval.requested_by).toBe(labels.owner);
    // The author and requester approves (no body at all: the comment is optional).
    const self = await api.call('POST', `/api/v1/campaigns/${id}/approve`, undefined, keys.owner);
    expect(self.status, JSON.stringify(self.json)).toBe(200);
    expect(self.json.status).toBe('sending');
    await api.app.close();
  });

  it('reject needs a comment and sends the campaign back to draft; withdraw by the requester or an editor, not by an analyst', async () => {
    const env = get();
    const { api, keys, labels, campaign, rule, state } = await setup(env);
    await rule(true, true);
    const id = await campaign(keys.editor);
    await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);

    const noComment = await api.call('POST', `/api/v1/campaigns/${id}/reject`, {}, keys.sender);
    expect(noComment.status).toBe(400);
    expect(noComment.json.error.field).toBe('comment');
    const blank = await api.call('POST', `/api/v1/campaigns/${id}/reject`, { comment: '   ' }, keys.sender);
    expect(blank.status).toBe(422);
    expect(blank.json.error.field).toBe('comment');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/reject`, { comment: 'no' }, keys.editor)).status).toBe(403);
    expect((await state(id)).status).toBe('awaiting_approval');

    const rejected = await api.call('POST', `/api/v1/campaigns/${id}/reject`, { comment: 'The subject promises 50 %, the offer is 30 %' }, keys.sender);
    expect(rejected.status).toBe(200);
    expect(rejected.json.status).toBe('draft');
    const note = await env.store.db.selectFrom('notifications').selectAll().where('account_id', '=', api.accountId).where('kind', '=', 'approval_rejected').executeTakeFirstOrThrow();
    expect(note.body).toContain('The subject promises 50 %');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender)).status).toBe(409);
    // The draft can be edited and launched again.
    expect((await api.call('PATCH', `/api/v1/campaigns/${id}`, { name: 'Spring sale, 30 %' }, keys.editor)).status).toBe(200);
    expect((await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor)).json.status).toBe('awaiting_approval');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor)).status).toBe(409);

    // Withdraw: an analyst is neither the requester nor an editor.
    const byAnalyst = await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.analyst);
    expect(byAnalyst.status).toBe(403);
    expect(byAnalyst.json.error.message).toMatch(new RegExp(`requester \\(${labels.editor}\\).*campaigns:write`));
    // Another editor (here the owner) may.
    const withdrawn = await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.owner);
    expect(withdrawn.json.status).toBe('draft');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.owner)).status).toBe(409);

    // A sender whose /send became a request withdraws it themselves.
    await api.call('POST', `/api/v1/campaigns/${id}/send`, {}, keys.sender);
    expect((await api.call('POST', `/api/v1/campaigns/${id}/withdraw`, {}, keys.sender)).json.status).toBe('draft');
    const s = await state(id);
    expect(s.deliveries).toBe(0);
    expect(s.approvals.map((a: { status: string; comment: string | null }) => a.status)).toEqual(['rejected', 'withdrawn', 'withdrawn']);
    expect(s.approvals[0].comment).toBe('The subject promises 50 %, the offer is 30 %');
    // A draft with an approval history can still be deleted; its history goes with it.
    expect((await api.call('DELETE', `/api/v1/campaigns/${id}`, undefined, keys.editor)).status).toBe(204);
    expect(await env.store.db.selectFrom('campaign_approvals').selectAll().where('campaign_id', '=', id).execute()).toHaveLength(0);
    await api.app.close();
  });

  it('a requested time: approved before it → scheduled for it; approved after it → sends now', async () => {
    const env = get();
    const { api, keys, campaign, rule, template } = await setup(env);
    await rule(true, true);
    env.clock.set('2026-03-02T10:00:00.000Z');
    const id = await campaign(keys.editor);
    const at = '2026-03-03T09:00:00.000Z';
    const launched = await api.call('POST', `/api/v1/campaigns/${id}/launch`, { at }, keys.editor);
    expect(launched.json.status).toBe('awaiting_approval');
    expect(launched.json.pending_approval.send_at).toBe(at);
    expect(launched.json.notice).toContain(`sends at ${at}`);
    const approved = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender);
    expect(approved.json.status).toBe('scheduled');
    expect(approved.json.scheduled_at).toBe(at);
    const d = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', id).executeTakeFirstOrThrow();
    expect(d.scheduled_at).toBe(at);
    expect(d.status).toBe('scheduled');

    // Edited after its approval, it is no longer what was approved: back to draft, no run left.
    const edited = await api.call('PATCH', `/api/v1/campaigns/${id}`, { name: 'Changed after approval' }, keys.editor);
    expect(edited.status).toBe(200);
    expect(edited.json.status).toBe('draft');
    expect(edited.json.notice).toMatch(/approval/);
    expect(await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', id).execute()).toHaveLength(0);
    const revoked = await env.store.db.selectFrom('audit_log').select('action').where('subject', '=', `campaign:${id}`).where('action', '=', 'campaign.approval_revoked').execute();
    expect(revoked).toHaveLength(1);

    // Its template edited after the approval: the content is no longer what was approved either.
    expect((await api.call('POST', `/api/v1/campaigns/${id}/launch`, { at }, keys.editor)).json.status).toBe('awaiting_approval');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender)).json.status).toBe('scheduled');
    const tpl = await api.call('PUT', `/api/v1/templates/${template}`, { subject: 'Now 90 % off' }, keys.editor);
    expect(tpl.status, JSON.stringify(tpl.json)).toBe(200);
    expect(tpl.json.notice).toContain(`campaign ${id}`);
    expect((await api.call('GET', `/api/v1/campaigns/${id}`)).json.status).toBe('draft');
    expect(await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', id).execute()).toHaveLength(0);
    const revokedByTemplate = await env.store.db.selectFrom('audit_log').select('action').where('subject', '=', `campaign:${id}`).where('action', '=', 'campaign.approval_revoked').execute();
    expect(revokedByTemplate).toHaveLength(2);

    const late = await campaign(keys.editor, 'Late');
    await api.call('POST', `/api/v1/campaigns/${late}/launch`, { at: '2026-03-02T12:00:00.000Z' }, keys.editor);
    env.clock.set('2026-03-02T15:00:00.000Z');
    const approvedLate = await api.call('POST', `/api/v1/campaigns/${late}/approve`, {}, keys.sender);
    expect(approvedLate.json.status).toBe('sending');
    expect(approvedLate.json.scheduled_at).toBe('2026-03-02T15:00:00.000Z');
    env.clock.set('2026-03-02T10:00:00.000Z');

    // /launch reads `at` as /send does: a local time without an offset is in the account's zone.
    const local = await campaign(keys.editor, 'Local');
    const localLaunch = await api.call('POST', `/api/v1/campaigns/${local}/launch`, { at: '2026-03-04T09:00' }, keys.editor);
    expect(localLaunch.status, JSON.stringify(localLaunch.json)).toBe(200);
    expect(localLaunch.json.pending_approval.send_at).toBe('2026-03-04T09:00:00.000Z');
    const badTime = await api.call('POST', `/api/v1/campaigns/${local}/launch`, { at: 'tomorrow' }, keys.editor);
    expect(badTime.json.error.field).toBe('at');
    await api.app.close();
  });

  it('four-eyes tells people apart, not credentials: a user cannot approve their own campaign through a key they made', async () => {
    const env = get();
    const { api, keys, campaign, rule } = await setup(env);
    await rule(true, true);
    const made = await api.call('POST', '/api/v1/users', { email: `ada-${Math.random().toString(36).slice(2, 8)}@example.com`, role: 'admin', password: 'ada-password-1' });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const signIn = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: made.json.user.email, password: 'ada-password-1' } });
    const session = signIn.json().token as string;
    // Ada writes and launches as herself, then makes a key for a script.
    const id = await campaign(session, 'Ada’s');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, session)).json.status).toBe('awaiting_approval');
    const adaKey = (await api.call('POST', '/api/v1/api-keys', { name: 'ada script', role: 'sender' }, session)).json.key as string;
    const through = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, adaKey);
    expect(through.status).toBe(403);
    expect(through.json.error.message).toMatch(new RegExp(`acting for user:${made.json.user.id}\\) are its author`));
    expect((await api.call('GET', `/api/v1/campaigns/${id}`)).json.status).toBe('awaiting_approval');
    // Someone else approves.
    expect((await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender)).json.status).toBe('sending');
    await api.app.close();
  });

  it('a recurring campaign goes through approval too: approved, its schedule becomes active', async () => {
    const env = get();
    const { api, keys, campaign, rule } = await setup(env);
    await rule(true, true);
    env.clock.set('2026-03-02T10:00:00.000Z');
    const id = await campaign(keys.editor, 'Weekly');
    expect((await api.call('PUT', `/api/v1/campaigns/${id}/schedule`, { cron: '0 9 * * 1', timezone: 'Europe/Berlin' }, keys.editor)).status).toBe(200);
    const launched = await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);
    expect(launched.json.status).toBe('awaiting_approval');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.editor)).status).toBe(403);
    const approved = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender);
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json.status).toBe('active');
    const schedule = await api.call('GET', `/api/v1/campaigns/${id}/schedule`);
    // Monday 2026-03-09 09:00 in Berlin (CET, UTC+1): the first occurrence after the approval.
    expect(schedule.json.next_run_at).toBe('2026-03-09T08:00:00.000Z');
    // Paused and edited, it is no longer what was approved: a draft again, to be launched and approved.
    expect((await api.call('POST', `/api/v1/campaigns/${id}/pause`, {}, keys.sender)).json.status).toBe('paused');
    const edited = await api.call('PATCH', `/api/v1/campaigns/${id}`, { name: 'Weekly, new audience' }, keys.editor);
    expect(edited.json).toMatchObject({ status: 'draft', name: 'Weekly, new audience' });
    expect(edited.json.notice).toMatch(/approval/);
    await api.app.close();
  });

  it('two approvers at once: one wins, the other is told the campaign changed; one delivery', async () => {
    const env = get();
    const { api, keys, campaign, rule } = await setup(env);
    await rule(true, true);
    const id = await campaign(keys.editor);
    await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);
    const results = await Promise.all([
      api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender),
      api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender2),
      api.call('POST', `/api/v1/campaigns/${id}/reject`, { comment: 'no' }, keys.owner),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.json))).toEqual([200, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('invalid_state');
    const deliveries = await env.store.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', id).execute();
    const history = (await api.call('GET', `/api/v1/campaigns/${id}/approvals`)).json.items;
    expect(history).toHaveLength(1);
    expect(deliveries).toHaveLength(history[0].status === 'approved' ? 1 : 0);
    const audit = (await api.call('GET', '/api/v1/audit-log?action=campaign.')).json.items.filter((e: { subject: string }) => e.subject === `campaign:${id}`);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['campaign.approval_requested', `campaign.${history[0].status}`]);
    await api.app.close();
  });

  it('a pre-flight that blocks at launch or at approval time refuses with the checklist and changes nothing', async () => {
    const env = get();
    const { api, keys, campaign, rule, state } = await setup(env);
    await rule(true, false);
    const noTemplate = (await api.call('POST', '/api/v1/campaigns', { name: 'Empty' }, keys.editor)).json.id;
    const refused = await api.call('POST', `/api/v1/campaigns/${noTemplate}/launch`, {}, keys.editor);
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('preflight_failed');
    expect((await state(noTemplate)).status).toBe('draft');
    expect((await state(noTemplate)).approvals).toHaveLength(0);

    const id = await campaign(keys.editor);
    await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);
    // While it waits, billing is switched off.
    expect((await api.call('PUT', '/api/v1/account/profile', { billing_verified: false })).status).toBe(200);
    const before = await state(id);
    const blocked = await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender);
    expect(blocked.status).toBe(422);
    expect(blocked.json.error).toMatchObject({ code: 'preflight_failed', field: 'billing' });
    expect(blocked.json.error.message).toMatch(/cannot be approved: Billing/);
    expect(blocked.json.error.details.items.find((i: { id: string }) => i.id === 'billing').status).toBe('blocking');
    expect(await state(id)).toEqual(before);
    await api.call('PUT', '/api/v1/account/profile', { billing_verified: true });
    expect((await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender)).json.status).toBe('sending');
    await api.app.close();
  });

  it('the audit log records launch, request, approval, pause, resume and cancel with their actors, in order', async () => {
    const env = get();
    const { api, keys, labels, campaign, rule } = await setup(env);
    await rule(true, true);
    const id = await campaign(keys.editor);
    await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);
    await api.call('POST', `/api/v1/campaigns/${id}/approve`, {}, keys.sender);
    for (const action of ['pause', 'resume', 'cancel']) {
      const r = await api.call('POST', `/api/v1/campaigns/${id}/${action}`, {}, keys.sender2);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    await rule(false, false);
    const direct = await campaign(keys.owner, 'Direct');
    expect((await api.call('POST', `/api/v1/campaigns/${direct}/send`, {}, keys.sender)).json.status).toBe('sending');

    // The analyst reads the audit log (audit:read).
    const log = await api.call('GET', '/api/v1/audit-log?action=campaign.', undefined, keys.analyst);
    expect(log.status).toBe(200);
    expect(log.json.items.map((e: { actor: string; action: string; subject: string }) => [e.actor, e.action, e.subject])).toEqual([
      [labels.editor, 'campaign.approval_requested', `campaign:${id}`],
      [labels.sender, 'campaign.approved', `campaign:${id}`],
      [labels.sender2, 'campaign.pause', `campaign:${id}`],
      [labels.sender2, 'campaign.resume', `campaign:${id}`],
      [labels.sender2, 'campaign.cancel', `campaign:${id}`],
      [labels.sender, 'campaign.send', `campaign:${direct}`],
    ]);
    const settings = await api.call('GET', '/api/v1/audit-log?action=settings.approval');
    expect(settings.json.items.map((e: { data: { after: unknown } }) => e.data.after)).toEqual([
      { required: true, four_eyes: true },
      { required: false, four_eyes: false },
    ]);
    await api.app.close();
  });

  it('without the approval rule /send sends directly and /launch by an editor is refused with the roles that may', async () => {
    const env = get();
    const { api, keys, labels, campaign, state } = await setup(env);
    const id = await campaign(keys.editor);
    const byEditor = await api.call('POST', `/api/v1/campaigns/${id}/launch`, {}, keys.editor);
    expect(byEditor.status).toBe(403);
    expect(byEditor.json.error.code).toBe('forbidden');
    expect(byEditor.json.error.message).toMatch(/deliveries:start, held by the roles owner, admin, sender; you have the role editor/);
    expect(byEditor.json.error.details.roles).toEqual(['owner', 'admin', 'sender']);
    expect((await state(id)).status).toBe('draft');
    expect((await api.call('POST', `/api/v1/campaigns/${id}/send`, {}, keys.editor)).status).toBe(403);

    const sent = await api.call('POST', `/api/v1/campaigns/${id}/send`, {}, keys.sender);
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe('sending');
    expect(sent.json.notice).toBeUndefined();
    const other = await campaign(keys.editor, 'Launched by the owner');
    const launched = await api.call('POST', `/api/v1/campaigns/${other}/launch`, {}, keys.owner);
    expect(launched.json.status).toBe('sending');
    const log = (await api.call('GET', '/api/v1/audit-log?action=campaign.')).json.items;
    expect(log.map((e: { actor: string; action: string }) => [e.actor, e.action])).toEqual([
      [labels.sender, 'campaign.send'],
      [labels.owner, 'campaign.launch'],
    ]);
    expect((await api.call('GET', '/api/v1/approvals')).json.items).toHaveLength(0);
    await api.app.close();
  });
});
