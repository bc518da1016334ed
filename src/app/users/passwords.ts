// Passwords: argon2id hashes (PHC strings, so each hash carries its own cost and old hashes keep
// verifying after the cost is raised), the length rule, and generated passwords for first start
// and for users created without one.
import { randomInt } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 1000;
// @node-rs/argon2's Algorithm.Argon2id; its d.ts declares a const enum, which erasable TypeScript cannot inline.
const ARGON2ID = 2;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

export function checkPassword(password: string, field = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid(field, `must be at least ${MIN_PASSWORD_LENGTH} characters, got ${password.length}`);
  if (password.length > MAX_PASSWORD_LENGTH) throw invalid(field, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

/** 20 characters from 57 unambiguous letters and digits: about 117 bits. */
export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function hashPassword(deps: AppDeps, password: string): Promise<string> {
  const c = deps.config.passwordHashing;
  return hash(password, { algorithm: ARGON2ID as Algorithm, memoryCost: c.memoryKiB, timeCost: c.timeCost, parallelism: c.parallelism });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash never signs anyone in.
    return false;
  }
}

// For unknown emails the sign-in still runs one verification at the current cost, so the answer
// takes as long as for a known email with a wrong password.
const dummyHashes = new Map<string, Promise<string>>();

export async function verifyDummyPassword(deps: AppDeps, password: string): Promise<void> {
  const c = deps.config.passwordHashing;
  const key = `${c.memoryKiB}/${c.timeCost}/${c.parallelism}`;
  let dummy = dummyHashes.get(key);
  if (!dummy) {
    dummy = hashPassword(deps, generatePassword());
    dummyHashes.set(key, dummy);
  }
  await verifyPassword(await dummy, password);
}
