// Secrets handed out as `id.secret` (sign-in links, sessions, API tokens):
// the id finds the row, the secret (256 random bits) proves possession and is
// stored only as its SHA-256, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../ids.ts';

export type IssuedSecret = { id: string; token: string; hash: string };

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export function issueSecret(): IssuedSecret {
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, hash: sha256(secret) };
}

/** Splits `id.secret`; null for anything else. */
export function splitToken(token: string): { id: string; secret: string } | null {
  const match = /^([0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return match ? { id: match[1], secret: match[2] } : null;
}

export function secretMatches(secret: string, hash: string): boolean {
  const given = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
