// DKIM key material: generating a key pair, checking a key a user brings, and the DNS TXT record
// that publishes the public half. Only the private key is stored; the record is derived from it
// each time, so the two can never disagree.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { invalid } from '../errors.ts';

/** RFC 8301: verifiers must accept 1024 to 4096 bits and signers should use at least 2048. */
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 4096;

export interface DkimKeyPair {
  privateKeyPem: string;
  /** The TXT record value to publish at <selector>._domainkey.<domain>. */
  dnsRecord: string;
}

export function generateDkimKey(): DkimKeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKeyPem, dnsRecord: dkimDnsRecord(privateKey) };
}

/**
 * Checks a PEM private key a user supplied and returns it in one normal form (PKCS#8 PEM).
 * Encrypted keys, public keys, non-RSA keys and weak or oversized keys are refused by `field`.
 */
export function normalizeDkimPrivateKey(pem: string, field: string): string {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw invalid(field, 'must be a PEM private key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")');
  }
  if (/ENCRYPTED/.test(pem)) throw invalid(field, 'is encrypted; give the key without a passphrase');
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw invalid(field, `is not a readable PEM private key (${(err as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalid(field, `must be an RSA key (DKIM rsa-sha256), not ${key.asymmetricKeyType}`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw invalid(field, `is a ${bits}-bit RSA key; DKIM needs ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits (2048 recommended)`);
  }
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** "v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>" for a private key (PEM or KeyObject). */
export function dkimDnsRecord(privateKey: string | KeyObject): string {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `v=DKIM1; k=rsa; p=${der.toString('base64')}`;
}
