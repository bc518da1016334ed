// How bad a bounce reported by a provider is, for Herald: `hard` (the address is bad: suppress
// it), `soft` (try again later; never suppress) or `sender_policy` (the receiver refused the
// sender — reputation, authentication, blocklists — never the recipient's fault).
//
// Decisions:
// - The SMTP status and diagnostic the provider forwards are read first, with the same rules as
//   Herald's own SMTP replies (smtp-reply.ts): an X.7.x or a "blocked"/spam text is
//   sender_policy even when the provider calls the bounce permanent.
// - A provider that says "transient" is believed: at most soft (or sender_policy), never hard.
// - A permanent bounce whose reply names no cause ("550 refused") is hard: the provider itself
//   stops sending to the address, so Herald should too.
// - Mailbox full and message problems (too big, content) are soft: the address is fine.
import { classifySmtpReply, parseSmtpResponse } from '../smtp-reply.ts';

export type ProviderBounceClass = 'hard' | 'soft' | 'sender_policy';

export interface ProviderBounce {
  /** true permanent, false transient, null when the provider does not say. */
  permanent: boolean | null;
  /** The provider says the receiver blocked the sender (SendGrid "blocked", Postmark "Blocked"). */
  policy?: boolean;
  /** Enhanced status ("5.1.1") or basic code ("550") if the provider gives it separately. */
  status?: string | number | null;
  /** The receiver's reply text, e.g. "smtp; 550 5.1.1 <a@b>: user unknown". */
  diagnostic?: string | null;
}

export function classifyProviderBounce(b: ProviderBounce): { bounceClass: ProviderBounceClass; reason: string } {
  const text = (b.diagnostic ?? '').replace(/^\s*smtp\s*;\s*/i, '');
  const parsed = parseSmtpResponse(text);
  const status = b.status === null || b.status === undefined ? '' : String(b.status).trim();
  const enhanced = parsed.enhanced ?? (/^[245]\.\d{1,3}\.\d{1,3}$/.test(status) ? status : null);
  let code = parsed.code ?? (/^[245]\d\d$/.test(status) ? Number(status) : null);
  const fallback = (): { bounceClass: ProviderBounceClass; reason: string } => {
    if (b.policy) return { bounceClass: 'sender_policy', reason: 'the provider reports the receiver blocked the sender' };
    if (b.permanent === true) return { bounceClass: 'hard', reason: 'the provider reports a permanent bounce' };
    return { bounceClass: 'soft', reason: b.permanent === false ? 'the provider reports a transient bounce' : 'the provider does not say whether the bounce is permanent' };
  };
  if (code === null && enhanced === null) {
    if (!parsed.text) return fallback();
    // Text without codes: read it as a refusal of the kind the provider reports.
    code = b.permanent === false ? 450 : 550;
  }
  const c = classifySmtpReply(code, enhanced, parsed.text);
  if (c.outcome !== 'failed') {
    return b.policy ? { bounceClass: 'sender_policy', reason: c.reason } : { bounceClass: 'soft', reason: c.reason };
  }
  switch (c.failureClass) {
    case 'sender_policy':
      return { bounceClass: 'sender_policy', reason: c.reason };
    case 'recipient':
      return b.permanent === false ? { bounceClass: 'soft', reason: `${c.reason}; the provider calls it transient` } : { bounceClass: 'hard', reason: c.reason };
    case 'message':
      return { bounceClass: 'soft', reason: c.reason };
    default: {
      const f = fallback();
      return { bounceClass: f.bounceClass, reason: `${c.reason}; ${f.reason}` };
    }
  }
}
