// The one small interface every email transport implements (SMTP relay, built-in catcher, a
// provider API later). The dispatcher depends on this, never on nodemailer directly.

export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export interface OutgoingEmail {
  from: string; // "Name <addr>" or addr
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** RFC 5322 Message-ID without angle brackets; the ledger stores it to match replies and bounces. */
  messageId: string;
  /** Envelope sender (Return-Path); VERP later. Defaults to the From address. */
  envelopeFrom?: string;
  headers?: Record<string, string>;
  dkim?: DkimKey | null;
}

/**
 * What happened at the hand-off. 4xx and throttling replies are never failures (`deferred`);
 * 5xx replies are `failed` with a class: the recipient's problem (suppress the address) or the
 * sender's/policy problem (do not blame the recipient).
 */
export type SendOutcome =
  | { kind: 'sent'; response: string }
  | { kind: 'deferred'; response: string; code: number | null }
  | { kind: 'failed'; response: string; code: number | null; failureClass: FailureClass };

export type FailureClass = 'recipient' | 'sender_policy' | 'message' | 'unknown';

export interface EmailTransport {
  readonly name: string;
  send(message: OutgoingEmail): Promise<SendOutcome>;
  close(): Promise<void>;
}
