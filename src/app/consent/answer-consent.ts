// The recipient's answer from the confirmation page (/c/<token>). Confirming makes the
// subscription 'subscribed' (unless they unsubscribed in the meantime: the later wish wins);
// declining leaves it 'unconfirmed'. Either way the contact's campaign messages that wait for
// this answer (ledger rows deferred with consent_pending) are made due now, so the dispatcher
// decides them at once: sent after a confirmation, skipped after a decline. The evidence (ip,
// user agent, time) is kept with the request as the record of consent.
import { type ConsentAction, type ConsentAnswerOutcome, type ConsentRequestStatus, answerConsent, effectiveConsentStatus } from '../../core/consent-answer.ts';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { ConsentEvidence } from './consent-request-view.ts';
import { verifyConsentToken } from './consent-token.ts';

export interface ConsentPageFacts {
  requestId: number;
  accountName: string;
  listName: string;
  address: string | null;
  /** As of now: a pending request past its expiry reads 'expired'. */
  status: ConsentRequestStatus;
  expiresAt: string;
}

const invalidLink = () => new AppError('not_found', 'this confirmation link is not valid', 'token');

/** What a token points at; not_found for a forged, truncated or unknown token (no detail leaks). */
export async function findConsentByToken(deps: AppDeps, token: string): Promise<ConsentPageFacts> {
  const id = verifyConsentToken(deps.config, token);
  if (id === null) throw invalidLink();
  const r = await deps.store.db
    .selectFrom('consent_requests as r')
    .innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .innerJoin('lists as l', 'l.id', 'r.list_id')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['r.id', 'r.status', 'r.expires_at', 'c.email', 'l.name as list_name', 'a.name as account_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!r) throw invalidLink();
  return {
    requestId: Number(r.id),
    accountName: r.account_name,
    listName: r.list_name,
    address: r.email,
    status: effectiveConsentStatus(r, deps.clock.now()),
    expiresAt: r.expires_at,
  };
}

export interface AnswerContext {
  ip: string | null;
  userAgent: string | null;
}

export async function answerConsentByToken(
  deps: AppDeps,
  token: string,
  action: ConsentAction,
  ctx: AnswerContext,
): Promise<{ page: ConsentPageFacts; outcome: ConsentAnswerOutcome; releasedMessages: number }> {
  const page = await findConsentByToken(deps, token);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const req = await trx
      .selectFrom('consent_requests')
      .select(['id', 'account_id', 'contact_id', 'list_id', 'status', 'expires_at'])
      .where('id', '=', page.requestId)
      .executeTakeFirstOrThrow();
    const outcome = answerConsent(req, action, now);
    if (outcome.kind === 'expired') {
      // Record what the page found, so the API shows it before the expiry step runs.
      await trx.updateTable('consent_requests').set({ status: 'expired' }).where('id', '=', req.id).where('status', '=', 'pending').execute();
      return { page: { ...page, status: 'expired' as const }, outcome, releasedMessages: 0 };
    }
    if (outcome.kind !== 'record') return { page: { ...page, status: outcome.status }, outcome, releasedMessages: 0 };

    const evidence: ConsentEvidence = { ip: ctx.ip, user_agent: ctx.userAgent, time: at, source: 'link' };
    const decided = await trx
      .updateTable('consent_requests')
      .set({
        status: outcome.status,
        confirmed_at: outcome.status === 'confirmed' ? at : null,
        declined_at: outcome.status === 'declined' ? at : null,
        evidence: JSON.stringify(evidence),
      })
      .where('id', '=', req.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(decided.numUpdatedRows) === 0) {
      // Another click won the race; this one is a replay of it (or a different, later answer).
      const now2 = await trx.selectFrom('consent_requests').select(['status', 'expires_at']).where('id', '=', req.id).executeTakeFirstOrThrow();
      const again = answerConsent(now2, action, now);
      return { page: { ...page, status: effectiveConsentStatus(now2, now) }, outcome: again, releasedMessages: 0 };
    }
    if (outcome.status === 'confirmed') {
      await trx
        .updateTable('subscriptions')
        .set({ status: 'subscribed', source: 'double-opt-in', updated_at: at })
        .where('account_id', '=', req.account_id)
        .where('list_id', '=', req.list_id)
        .where('contact_id', '=', req.contact_id)
        .where('status', '=', 'unconfirmed')
        .execute();
    }
    const released = await trx
      .updateTable('messages')
      .set({ next_attempt_at: at, updated_at: at })
      .where('account_id', '=', req.account_id)
      .where('contact_id', '=', req.contact_id)
      .where('status', '=', 'deferred')
      .where('reason', '=', 'consent_pending')
      .executeTakeFirst();
    deps.log.info({ consentRequestId: req.id, contactId: req.contact_id, answer: outcome.status }, 'double opt-in answered');
    return { page: { ...page, status: outcome.status }, outcome, releasedMessages: Number(released.numUpdatedRows) };
  });
}
