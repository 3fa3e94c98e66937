// Signing in with a link sent by e-mail, for every role. Asking for a link
// only writes an outbox row (for a known address; nothing for an unknown one,
// and the answer is the same either way). The worker makes the one-time token
// and mails it, so its secret exists nowhere but in that e-mail; the database
// keeps its SHA-256. Using the link (a POST: mail scanners open links) spends
// the token and starts a new session.
import { inTransaction, type Db } from '../../db/database.ts';
import { escapeHtml } from '../domain/text.ts';
import { t, type Lang } from '../i18n/messages.ts';
import { newId } from '../ids.ts';
import { isPermanent, PermanentMailError, type MailContext } from '../mail/delivery.service.ts';
import type { Rendered } from '../mail/templates.ts';
import { addToOutbox } from '../queue/outbox.repo.ts';
import * as repo from './accounts.repo.ts';
import { issueSecret, secretMatches, splitToken } from './secrets.ts';
import { startSession, type SessionPolicy } from './sessions.service.ts';

const MINUTE = 60_000;

/**
 * Asking for a link answers no sooner than this, known address or not, so the
 * time taken does not tell whether an address has an account (the work for a
 * known one, an outbox row, takes a few milliseconds).
 */
export const ANSWER_AFTER_MS = 150;

/** Queues a sign-in link for the address when it is a user's; true when it was (for the caller to nudge the relay, never to tell the asker). */
export async function requestSignInLink(db: Db, email: string, lang: Lang): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const user = await repo.findUserByEmail(trx, email.trim());
    if (!user) return false;
    await addToOutbox(trx, { topic: 'signin.requested', payload: { userId: user.id, requestId: newId(), lang } });
    return true;
  });
}

export type LinkProblem = 'unknown' | 'used' | 'expired';
type LinkState = { ok: true; id: string; userId: string } | { ok: false; problem: LinkProblem };

/** Whether a sign-in link would work now, without spending it (the page with the button). */
export async function checkSignInLink(db: Db, token: string, now = new Date()): Promise<LinkState> {
  const parts = splitToken(token);
  const row = parts ? await repo.findLoginToken(db, parts.id) : undefined;
  if (!parts || !row || !secretMatches(parts.secret, row.secret_hash)) return { ok: false, problem: 'unknown' };
  if (row.used_at) return { ok: false, problem: 'used' };
  if (now.toISOString() >= row.expires_at) return { ok: false, problem: 'expired' };
  return { ok: true, id: row.id, userId: row.user_id };
}

/** Spends the link and starts a new session: its cookie value, or why the link does not work. */
export async function signInWithLink(db: Db, token: string, policy: SessionPolicy, now = new Date()) {
  return inTransaction(db, async (trx) => {
    const link = await checkSignInLink(trx, token, now);
    if (!link.ok) return link;
    // Two clicks at once: only one spends it.
    if (!(await repo.useLoginToken(trx, link.id))) return { ok: false as const, problem: 'used' as const };
    const session = await startSession(trx, link.userId, policy, now);
    return { ok: true as const, userId: link.userId, session };
  });
}

/** Sign out everywhere: every session of the user ends (API tokens stay; they are revoked one by one). */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
  await repo.deleteSessionsOfUser(db, userId);
}

export function renderSignInLink(lang: Lang, email: string, url: string, minutes: number): Rendered {
  const body = t(lang, 'mail.signin.body', { email });
  const expires = t(lang, 'mail.signin.expires', { minutes: String(minutes) });
  const ignore = t(lang, 'mail.signin.ignore');
  return {
    subject: t(lang, 'mail.signin.subject'),
    text: [body, '', `${t(lang, 'mail.signin.link')}: ${url}`, '', expires, ignore].join('\n'),
    html: `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;max-width:40em"><p>${escapeHtml(body)}</p>
<p><a href="${escapeHtml(url)}">${escapeHtml(t(lang, 'mail.signin.link'))}</a></p><p>${escapeHtml(expires)}</p><p style="color:#555">${escapeHtml(ignore)}</p></body></html>`,
  };
}

/**
 * The worker's half: a new one-time token for the user, mailed as a link. The
 * job id (one per request) keeps it to one e-mail; a retry after a failed send
 * makes a new token, and the unsent one is never known to anyone.
 */
export async function sendSignInLink(
  ctx: Pick<MailContext, 'db' | 'mailer' | 'publicUrl'>,
  job: { userId: string; requestId: string; lang: Lang },
  linkMinutes: number,
  now = new Date(),
): Promise<'sent' | 'nothing-to-send'> {
  const user = await repo.findUserById(ctx.db, job.userId);
  if (!user) return 'nothing-to-send'; // removed since asking
  const issued = issueSecret();
  const expiresAt = new Date(now.getTime() + linkMinutes * MINUTE).toISOString();
  await repo.insertLoginToken(ctx.db, { id: issued.id, user_id: user.id, secret_hash: issued.hash, expires_at: expiresAt });
  const message = renderSignInLink(job.lang, user.email, `${ctx.publicUrl}/login/${issued.token}`, linkMinutes);
  try {
    await ctx.mailer.send({ to: user.email, messageId: `<signin-${job.requestId}@brygga>`, ...message });
  } catch (error) {
    if (isPermanent(error)) throw new PermanentMailError(String((error as Error).message));
    throw error;
  }
  return 'sent';
}
