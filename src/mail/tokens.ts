// Tokens for links in e-mail (unsubscribe, confirm address): whoever holds
// the link may use it, nobody can make one up, change what it names, or read
// it. A token is the payload sealed with AES-256-GCM under a key derived from
// SECRET_KEY, as `<iv>.<ciphertext and tag>` in canonical base64url (as in
// JWE's compact form): the firm's id, the address it was sent to (as a keyed
// hash) and when it was issued stay private, and a changed bit, an extra or
// missing character, or a non-canonical spelling of the same bytes is refused.
//
// - A confirmation link expires CONFIRM_DAYS after it was issued.
// - An unsubscribe link does not expire (RFC 8058 asks that it keep working),
//   but it is bound to the address it was sent to: once the firm gives a new
//   address, links mailed to the old one stop working.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';

export type TokenPurpose = 'unsubscribe' | 'confirm';

/** How long a confirmation link works. */
export const CONFIRM_DAYS = 7;
const MAX_AGE_MS: Record<TokenPurpose, number | null> = { confirm: CONFIRM_DAYS * 24 * 3600 * 1000, unsubscribe: null };

const payloadSchema = z.object({
  p: z.enum(['unsubscribe', 'confirm']),
  /** The firm. */
  c: z.string().min(1).max(64),
  /** Unsubscribe: one subscription's id, or '*' for all of the firm's. */
  s: z.string().min(1).max(64).optional(),
  /** Confirm: the confirmation round (a link of an earlier round confirms nothing). */
  r: z.number().int().positive().optional(),
  /** Issued at, in seconds since the epoch. */
  i: z.number().int().nonnegative(),
  /** The address the link was mailed to, as `addressHash`. */
  e: z.string().min(1).max(64),
});
export type TokenPayload = z.output<typeof payloadSchema>;
/** What the caller gives: the issue time is added when sealing. */
export type TokenInput = Omit<TokenPayload, 'i' | 'e'> & { email: string };

const IV_BYTES = 12;
const TAG_BYTES = 16;
const PART = /^[A-Za-z0-9_-]+$/;

const derived = (secret: string, label: string) => createHmac('sha256', secret).update(label).digest();
const keyOf = (secret: string) => derived(secret, 'brygga mail links: key');

/** A keyed hash of an address (case does not matter): equal addresses, equal hashes; nobody without the secret can test a guess. */
export function addressHash(secret: string, email: string): string {
  return createHmac('sha256', derived(secret, 'brygga mail links: address')).update(email.trim().toLowerCase()).digest().subarray(0, 16).toString('base64url');
}

export function signToken(secret: string, input: TokenInput, now = Date.now()): string {
  const { email, ...rest } = input;
  const payload: TokenPayload = { ...rest, i: Math.floor(now / 1000), e: addressHash(secret, email) };
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return `${iv.toString('base64url')}.${Buffer.concat([sealed, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Why a token is refused; `verifyToken` says only null, this says why (for tests and logs). */
export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: 'malformed' | 'forged' | 'purpose' | 'expired' };

export function checkToken(secret: string, token: string, purpose: TokenPurpose, now = Date.now()): TokenCheck {
  // Canonical only: decoding ignores stray characters and the unused low bits
  // of the last character, so the same bytes have many spellings. One is accepted.
  const parts = token.length > 1024 ? [] : token.split('.');
  if (parts.length !== 2 || !parts.every((part) => PART.test(part))) return { ok: false, reason: 'malformed' };
  const [iv, sealed] = parts.map((part) => Buffer.from(part, 'base64url'));
  if (iv.toString('base64url') !== parts[0] || sealed.toString('base64url') !== parts[1]) return { ok: false, reason: 'malformed' };
  if (iv.length !== IV_BYTES || sealed.length <= TAG_BYTES) return { ok: false, reason: 'malformed' };
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), iv);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    text = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return { ok: false, reason: 'forged' };
  }
  let parsed: ReturnType<typeof payloadSchema.safeParse>;
  try {
    parsed = payloadSchema.safeParse(JSON.parse(text));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.p !== purpose) return { ok: false, reason: 'purpose' };
  const maxAge = MAX_AGE_MS[purpose];
  if (maxAge !== null && now - parsed.data.i * 1000 > maxAge) return { ok: false, reason: 'expired' };
  return { ok: true, payload: parsed.data };
}

/** The payload of a genuine, canonical, unexpired token for this purpose; null for anything else. */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose, now = Date.now()): TokenPayload | null {
  const checked = checkToken(secret, token, purpose, now);
  return checked.ok ? checked.payload : null;
}
