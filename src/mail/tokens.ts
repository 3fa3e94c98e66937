// Signed tokens for links in e-mail (unsubscribe, confirm address): whoever
// holds the link may use it, nobody can make one up or change what it names.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'confirm';
/** `s`: one subscription's id, or '*' for all of the firm's. `r`: the confirmation round (an old address's link confirms nothing). */
export type TokenPayload = { p: TokenPurpose; c: string; s?: string; r?: number };

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest().subarray(0, 16);

export function signToken(secret: string, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

export function verifyToken(secret: string, token: string, purpose: TokenPurpose): TokenPayload | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    return payload.p === purpose && typeof payload.c === 'string' ? payload : null;
  } catch {
    return null;
  }
}
