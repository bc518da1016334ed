// Amazon SNS HTTP(S) deliveries (how SES event publishing and SES notifications reach Herald):
// the envelope, the string SNS signs, and the check of SigningCertURL. SignatureVersion 1 is
// SHA1withRSA, 2 is SHA256withRSA, both over the canonical string of the message type (AWS
// "Verifying the signatures of Amazon SNS messages"). Herald has no network: the operator puts
// the signing certificate(s) (or their public keys) in a file; this only decides whether a
// signature is good for one of them.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { isObject, str } from './provider-event.ts';

export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

const TYPES = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);

export function readSnsMessage(body: unknown): { ok: true; message: SnsMessage } | { ok: false; problem: string } {
  if (!isObject(body)) return { ok: false, problem: 'an SNS message is a JSON object' };
  const type = str(body.Type);
  if (!type || !TYPES.has(type)) return { ok: false, problem: 'Type must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation' };
  for (const f of ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']) {
    if (typeof body[f] !== 'string') return { ok: false, problem: `${f} is missing` };
  }
  if (type !== 'Notification' && (typeof body.SubscribeURL !== 'string' || typeof body.Token !== 'string')) {
    return { ok: false, problem: `a ${type} needs SubscribeURL and Token` };
  }
  return { ok: true, message: body as unknown as SnsMessage };
}

/** The string SNS signs: name/value lines of the type's fields, in byte order of the names. */
export function snsStringToSign(m: SnsMessage): string {
  const fields =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', ...(m.Subject !== undefined && m.Subject !== null ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.map((f) => `${f}\n${(m as unknown as Record<string, string>)[f]}\n`).join('');
}

/** Only AWS's own SNS endpoints sign (sns.<region>.amazonaws.com, also .com.cn in China), over HTTPS. */
export function isTrustedSigningCertUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && /^sns\.[a-z]{2}(-gov)?-[a-z]+-\d\.amazonaws\.com(\.cn)?$/.test(u.hostname) && u.pathname.endsWith('.pem') && !u.username && !u.port;
}

/** Public keys from a PEM file holding certificates and/or public keys; unreadable blocks are skipped. */
export function readSnsVerificationKeys(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN (CERTIFICATE|PUBLIC KEY)-----[\s\S]+?-----END \1-----/g) ?? [];
  const keys: KeyObject[] = [];
  for (const b of blocks) {
    try {
      const k = createPublicKey(b);
      if (k.asymmetricKeyType === 'rsa') keys.push(k);
    } catch {
      // not a key we can use
    }
  }
  return keys;
}

export function snsSignatureProblem(m: SnsMessage, keys: readonly KeyObject[]): string | null {
  if (!isTrustedSigningCertUrl(m.SigningCertURL)) return `SigningCertURL ${m.SigningCertURL} is not an https://sns.<region>.amazonaws.com/….pem address`;
  const algorithm = m.SignatureVersion === '1' ? 'sha1' : m.SignatureVersion === '2' ? 'sha256' : null;
  if (!algorithm) return `SignatureVersion ${m.SignatureVersion} is not supported (1 or 2)`;
  if (keys.length === 0) return 'no SNS signing certificate is configured (HERALD_SNS_CERTIFICATES)';
  const data = Buffer.from(snsStringToSign(m), 'utf8');
  const signature = Buffer.from(m.Signature, 'base64');
  for (const key of keys) {
    try {
      if (verify(algorithm, data, key, signature)) return null;
    } catch {
      // try the next key
    }
  }
  return 'the signature does not match any configured SNS certificate';
}
