// Who is asking: a session cookie or a bearer API token, resolved to a
// Principal. Sessions live in the database (so every process sees a sign-out)
// with an idle timeout and an absolute lifetime.
import { isBusy, type Db } from '../../db/database.ts';
import { parseRoles, type Principal } from '../domain/access.ts';
import * as repo from './accounts.repo.ts';
import { issueSecret, secretMatches, splitToken } from './secrets.ts';

export const SESSION_COOKIE = 'brygga_session';

export type SessionPolicy = { idleMinutes: number; maxHours: number };

const MINUTE = 60_000;

/** A new session for the user: the cookie value (`id.secret`) and when it ends at the latest. */
export async function startSession(db: Db, userId: string, policy: SessionPolicy, now = new Date()) {
  const issued = issueSecret();
  const expiresAt = new Date(now.getTime() + policy.maxHours * 60 * MINUTE).toISOString();
  await repo.insertSession(db, { id: issued.id, user_id: userId, secret_hash: issued.hash, expires_at: expiresAt });
  return { token: issued.token, expiresAt };
}

/** Ends the session the cookie holds; a cookie that only names a session id (without its secret) ends nothing. */
export async function endSession(db: Db, token: string): Promise<void> {
  const parts = splitToken(token);
  const session = parts ? await repo.findSession(db, parts.id) : undefined;
  if (parts && session && secretMatches(parts.secret, session.secret_hash)) await repo.deleteSession(db, session.id);
}

async function principalOf(db: Db, userId: string, via: Principal['via']): Promise<Principal | null> {
  const user = await repo.findUserById(db, userId);
  if (!user) return null;
  return { userId: user.id, email: user.email, roles: parseRoles(user.roles), companyId: user.company_id, buyerId: user.buyer_id, via };
}

/** The principal of a session cookie, or null when it is unknown, tampered, idle too long or too old. */
export async function sessionPrincipal(db: Db, token: string, policy: SessionPolicy, now = new Date()): Promise<Principal | null> {
  const parts = splitToken(token);
  const session = parts ? await repo.findSession(db, parts.id) : undefined;
  if (!parts || !session || !secretMatches(parts.secret, session.secret_hash)) return null;
  const idleUntil = new Date(session.last_seen_at).getTime() + policy.idleMinutes * MINUTE;
  if (now.getTime() >= idleUntil || now.toISOString() >= session.expires_at) {
    await repo.deleteSession(db, session.id);
    return null;
  }
  // Written at most once a minute: a page with many requests costs one write.
  if (now.getTime() - new Date(session.last_seen_at).getTime() > MINUTE) await unlessBusy(repo.touchSession(db, session.id, now.toISOString()));
  return principalOf(db, session.user_id, 'session');
}

/** The principal of a bearer API token, or null when unknown, tampered, revoked or expired. */
export async function tokenPrincipal(db: Db, token: string, now = new Date()): Promise<Principal | null> {
  const parts = splitToken(token);
  const row = parts ? await repo.findApiToken(db, parts.id) : undefined;
  if (!parts || !row || !secretMatches(parts.secret, row.secret_hash)) return null;
  if (row.revoked_at || now.toISOString() >= row.expires_at) return null;
  // Written at most once a minute, as a session's last_seen_at: a script's burst of requests costs one write, not one each
  // (every write waits for the database's one write lock, which workers hold while they record matches).
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > MINUTE) await unlessBusy(repo.markApiTokenUsed(db, row.id, now.toISOString()));
  return principalOf(db, row.user_id, 'token');
}

/**
 * A bookkeeping write (last seen, last used) that may be skipped: when another
 * process holds the database past busy_timeout, the request goes on without
 * it (the next request writes it) instead of failing before its real work.
 */
async function unlessBusy(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isBusy(error)) throw error;
  }
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure when Brygga is served over https. */
export function sessionCookie(token: string, maxHours: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxHours * 3600}`, ...(secure ? ['Secure'] : [])].join('; ');
}

/** Clears the session cookie (sign-out). */
export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}
