// F0.8: one message to one contact, from a template or written on the spot. It is a campaign of
// kind 'message' with one delivery (run key 'message') whose audience is that contact, so it goes
// through the same ledger, the same decision and the same worker as any campaign: a transactional
// message passes marketing suppressions but never a hard bounce or the blocklist
// (core/decide-message.ts) and ignores quiet hours; a marketing one follows apply_to_one_off
// (core/pacing/effective-quiet-hours.ts).
//
// Everything is checked before anything is written (contact, content, sender, the account's launch
// blockers, a test render for the contact with the data); then the contact (when asked to create
// it), the campaign, its delivery and the one_off_messages row are written in one transaction.
import { normalizeEmail, normalizePhone } from '../../core/address.ts';
import { getAccountProfile } from '../accounts/account-profile.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DEFAULT_SETTINGS } from '../campaigns/campaign-input.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';
import { writeContacts } from '../contacts/write-contacts.ts';
import { createDelivery } from '../deliveries/create-delivery.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { billingItem, type CheckItem, companyProfileItem, senderItem } from '../explain/preflight.ts';
import type { CompiledEmailTemplate, TemplateSource } from '../templates/compile-template.ts';
import { findTemplateRow } from '../templates/get-template.ts';
import { personalLinkSigner } from '../templates/personal-link-filter.ts';
import { type RenderableContact, renderContextFor } from '../templates/render-context.ts';
import { toTemplateSource } from '../templates/template-view.ts';
import { validateTemplate } from '../templates/validate-template.ts';
import type { LintWarning } from '../../core/template-lint.ts';
import type { InlineTemplate } from './inline-content.ts';
import { requestHash, type SendMessageInput, textAsHtml } from './message-input.ts';
import { getMessage, type MessageView } from './read-messages.ts';

/** The run key of a message's one delivery (unique per campaign, so a retried write cannot make two). */
export const MESSAGE_RUN_KEY = 'message';

type Resolved = { existing: RenderableContact } | { create: { email: string } };

async function resolveContact(deps: AppDeps, actor: Actor, input: SendMessageInput): Promise<Resolved> {
  const { db } = deps.store;
  const ref = input.contact;
  const columns = ['id', 'email', 'phone', 'first_name', 'last_name', 'timezone', 'locale', 'attributes'] as const;
  const keys = Object.keys(ref ?? {});
  if (keys.length !== 1) throw invalid('contact', 'contact must name exactly one of id, email or phone');
  let found: RenderableContact | undefined;
  let what: string;
  let field: string;
  if ('id' in ref) {
    found = await db.selectFrom('contacts').select(columns).where('account_id', '=', actor.accountId).where('id', '=', ref.id).executeTakeFirst();
    what = String(ref.id);
    field = 'contact.id';
  } else if ('email' in ref) {
    const r = normalizeEmail(ref.email);
    if (!r.ok) throw invalid('contact.email', `contact.email: ${r.reason}`);
    found = await db.selectFrom('contacts').select(columns).where('account_id', '=', actor.accountId).where('email', '=', r.value).executeTakeFirst();
    if (!found && input.create_contact) return { create: { email: r.value } };
    what = r.value;
    field = 'contact.email';
  } else {
    const r = normalizePhone(ref.phone);
    if (!r.ok) throw invalid('contact.phone', `contact.phone: ${r.reason}`);
    found = await db.selectFrom('contacts').select(columns).where('account_id', '=', actor.accountId).where('phone', '=', r.value).orderBy('id').executeTakeFirst();
    what = r.value;
    field = 'contact.phone';
  }
  if (!found) {
    const hint = field === 'contact.email' ? '; pass "create_contact": true to create it' : '';
    throw new AppError('not_found', `contact ${what} not found${hint}`, field);
  }
  if (!found.email) throw invalid(field, `contact ${found.id} has no email address; a message goes by email`);
  if (input.create_contact && field !== 'contact.email') throw invalid('create_contact', 'create_contact works with contact.email only');
  return { existing: { ...found, id: Number(found.id) } };
}

/** The content to send and where an error in it should point. */
async function checkContent(deps: AppDeps, actor: Actor, input: SendMessageInput) {
  const hasTemplate = input.template_id !== undefined && input.template_id !== null;
  const hasContent = input.content !== undefined && input.content !== null;
  if (hasTemplate === hasContent) {
    throw invalid(hasTemplate ? 'content' : 'template_id', hasTemplate ? 'give template_id or content, not both' : 'give template_id (a saved template) or content (subject and html, mjml or text)');
  }
  if (hasTemplate) {
    const row = await findTemplateRow(deps, actor, input.template_id!).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', `template ${input.template_id} not found`, 'template_id') : err;
    });
    if (row.channel !== 'email') throw invalid('template_id', `template ${row.id} is for ${row.channel}; messages go by email`);
    const source = toTemplateSource(row);
    const { compiled, warnings } = await validateTemplate(source).catch((err: unknown) => {
      throw asField(err, () => 'template_id', `template ${row.id}: `);
    });
    return { templateId: row.id, inline: null, compiled, warnings, fieldOf: () => 'template_id', prefix: `template ${row.id}: ` };
  }
  const c = input.content!;
  const bodies = (['html', 'mjml', 'text'] as const).filter((k) => c[k] !== undefined && c[k] !== null);
  if (bodies.length !== 1) {
    throw invalid('content', bodies.length ? `give one of content.html, content.mjml or content.text, not ${bodies.join(' and ')} (the plain-text part is made from the HTML)` : 'content needs html, mjml or text');
  }
  const kind = bodies[0];
  const source: TemplateSource = { format: kind === 'mjml' ? 'mjml' : 'html', subject: c.subject, body: kind === 'text' ? textAsHtml(c.text!) : c[kind]! };
  const fieldOf = (f: string | null) => (f === 'subject' ? 'content.subject' : `content.${kind}`);
  const { compiled, warnings } = await validateTemplate(source).catch((err: unknown) => {
    throw asField(err, fieldOf, '');
  });
  const inline: InlineTemplate = { format: source.format, subject: source.subject, body: source.body, compiled_html: source.format === 'mjml' ? compiled.htmlSource : null };
  return { templateId: null, inline, compiled, warnings, fieldOf, prefix: '' };
}

/** A template error names the template's own field ("body"); the caller's field is what they sent. */
function asField(err: unknown, fieldOf: (f: string | null) => string, prefix: string): unknown {
  if (!(err instanceof AppError) || err.code !== 'invalid_input') return err;
  const f = fieldOf(err.field);
  return new AppError('invalid_input', `${f}: ${prefix}${err.message}`, f, err.details);
}

function optionalEmail(field: string, value: string | undefined | null): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const r = normalizeEmail(value);
  if (!r.ok) throw invalid(field, `${field}: ${r.reason}`);
  return r.value;
}

export interface SentMessage extends MessageView {
  /** Lint warnings on the content (a missing unsubscribe link, wide images …); they do not stop a message. */
  warnings: LintWarning[];
  /** True when an earlier request with the same idempotency key made this message. */
  replayed: boolean;
}

async function replay(deps: AppDeps, actor: Actor, key: string, hash: string): Promise<SentMessage | null> {
  const prior = await deps.store.db
    .selectFrom('one_off_messages')
    .select(['id', 'request_hash'])
    .where('account_id', '=', actor.accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!prior) return null;
  if (prior.request_hash !== hash) {
    throw new AppError('conflict', `idempotency_key "${key}" was used for message ${prior.id} with a different request; use a new key for a new message`, 'idempotency_key');
  }
  return { ...(await getMessage(deps, actor, Number(prior.id))), warnings: [], replayed: true };
}

export async function sendMessage(deps: AppDeps, actor: Actor, input: SendMessageInput): Promise<SentMessage> {
  const key = input.idempotency_key?.trim() || null;
  if (input.idempotency_key !== undefined && !key) throw invalid('idempotency_key', 'idempotency_key must not be empty');
  const hash = requestHash(input);
  if (key) {
    const prior = await replay(deps, actor, key, hash);
    if (prior) return prior;
  }
  if (input.data !== undefined && (input.data === null || typeof input.data !== 'object' || Array.isArray(input.data))) {
    throw invalid('data', 'data must be a JSON object (templates read it as {{ data.* }})');
  }

  const contact = await resolveContact(deps, actor, input);
  const content = await checkContent(deps, actor, input);
  const account = await getAccountProfile(deps, actor);
  const fromEmail = optionalEmail('from_email', input.from_email) ?? account.profile.default_from_email;
  if (!fromEmail) {
    throw invalid('from_email', 'from_email is required: the account has no default sender (set default_from_email in the account profile)');
  }
  const replyTo = optionalEmail('reply_to', input.reply_to);
  const fromName = input.from_name?.trim() || account.profile.company_name || null;

  // The launch blockers that make sense for one message; the audience items do not apply.
  const items: CheckItem[] = [
    billingItem(account),
    companyProfileItem(account),
    await senderItem(deps, actor.accountId, fromEmail, { hint: 'give from_email, or set the account default', api: 'PUT /api/v1/account/profile {"default_from_email"}' }),
  ];
  const blocking = items.filter((i) => i.status === 'blocking');
  if (blocking.length) {
    throw new AppError('preflight_failed', `the message cannot be sent: ${blocking.map((i) => `${i.title}: ${i.detail}`).join('; ')}`, blocking[0].id, {
      campaign_id: null,
      ready: false,
      blocking: blocking.length,
      warnings: items.filter((i) => i.status === 'warning').length,
      items,
    });
  }

  // Render once for this contact with this data, so a template that fails on them is refused now
  // rather than recorded as render_failed. A contact still to be created renders as its address.
  const now = deps.clock.now();
  const accountRow = await deps.store.db.selectFrom('accounts').select(['id', 'name']).where('id', '=', actor.accountId).executeTakeFirstOrThrow();
  const renderAs: RenderableContact =
    'existing' in contact
      ? contact.existing
      : { id: 0, email: contact.create.email, phone: null, first_name: null, last_name: null, timezone: null, locale: null, attributes: '{}' };
  const subject = await testRender(content.compiled, renderAs, accountRow, input.data, deps, now).catch((err: unknown) => {
    throw asField(err, content.fieldOf, content.prefix);
  });
  const address = renderAs.email!;
  const transactional = input.transactional === true;

  let ids: { messageId: number };
  try {
    ids = await deps.store.db.transaction().execute(async (trx) => {
      const nowIso = now.toISOString();
      let contactId: number;
      if ('existing' in contact) contactId = contact.existing.id;
      else {
        const written = await writeContacts(trx, deps.store.caps, actor.accountId, [{ email: contact.create.email }], nowIso, { wantIds: true });
        contactId = written.ids[0];
      }
      const campaign = await trx
        .insertInto('campaigns')
        .values({
          account_id: actor.accountId,
          name: `Message to ${address}: ${subject}`.slice(0, 300),
          channel: 'email',
          kind: 'message',
          status: 'sending',
          template_id: content.templateId,
          from_email: fromEmail,
          from_name: fromName,
          reply_to: replyTo,
          audience: JSON.stringify({ list_ids: [], exclude_list_ids: [], segment_id: null, exclude_segment_ids: [] }),
          settings: JSON.stringify({ ...DEFAULT_SETTINGS, transactional, ...(content.inline ? { inline_template: content.inline } : {}) }),
          scheduled_at: nowIso,
          created_by: actor.label,
          created_at: nowIso,
          updated_at: nowIso,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const delivery = await createDelivery(trx, {
        accountId: actor.accountId,
        campaignId: campaign.id,
        scheduledAt: now,
        runKey: MESSAGE_RUN_KEY,
        audience: { list_ids: [], exclude_list_ids: [], segment_id: null, exclude_segment_ids: [], contact_ids: [contactId] },
        context: input.data ? { data: input.data } : null,
        createdBy: actor.label,
        now,
      });
      const row = await trx
        .insertInto('one_off_messages')
        .values({
          account_id: actor.accountId,
          campaign_id: campaign.id,
          delivery_id: delivery.id,
          contact_id: contactId,
          transactional: transactional ? 1 : 0,
          idempotency_key: key,
          request_hash: hash,
          created_by: actor.label,
          created_at: nowIso,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit({ trx, now: nowIso }, actor, 'message.send', `message:${row.id}`, {
        contact_id: contactId,
        campaign_id: campaign.id,
        transactional,
        template_id: content.templateId,
        created_contact: 'create' in contact,
      });
      return { messageId: Number(row.id) };
    });
  } catch (err) {
    // Two requests with the same key at once: the loser's transaction rolled back; answer as a replay.
    if (key && isUniqueViolation(err)) {
      const prior = await replay(deps, actor, key, hash);
      if (prior) return prior;
    }
    throw err;
  }
  return { ...(await getMessage(deps, actor, ids.messageId)), warnings: content.warnings, replayed: false };
}

async function testRender(
  compiled: CompiledEmailTemplate,
  contact: RenderableContact,
  account: { id: number; name: string },
  data: Record<string, unknown> | undefined,
  deps: AppDeps,
  now: Date,
): Promise<string> {
  const rendered = await compiled.render(
    renderContextFor(contact, {
      campaign: { id: 0, name: 'Message' },
      account,
      unsubscribeUrl: `${deps.config.publicUrl}/unsubscribe/preview`,
      // JSON round trip: the worker renders what deliveries.context stored, so must this check.
      run: data ? { data: JSON.parse(JSON.stringify(data)) } : {},
      personalLinks: personalLinkSigner(deps.config.secret, account.id, now),
    }),
  );
  return rendered.subject;
}
