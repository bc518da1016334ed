// Session tokens: "hs_<43 random base62>" (~256 bits). Only their SHA-256 is stored, like API keys.
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateSessionToken(): string {
  let secret = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < 43; i++) secret += ALPHABET[randomInt(ALPHABET.length)];
  return `hs_${secret}`;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isWellFormedSessionToken(token: string): boolean {
  return /^hs_[A-Za-z0-9]{43}$/.test(token);
}
