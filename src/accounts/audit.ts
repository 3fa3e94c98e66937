// The audit log: who (user and roles), did what, to which object, when and
// from where. Rows are only ever appended; nothing updates or deletes them.
// Routes call `audit(db, res, …)` after the change succeeded; commands and
// services that act for someone pass an Actor instead.
import type { Response } from 'express';
import type { Db } from '../../db/database.ts';
import { principalOf } from '../http/secured-router.ts';
import { appendAudit } from './accounts.repo.ts';
import { auditPage } from './audit.repo.ts';

/** Who acted: a signed-in user over HTTP, or the command line (`npm run users`). */
export type Actor = { userId: string | null; roles: string | null; ip: string | null; via: 'session' | 'token' | 'command line' | 'anonymous' | (string & {}) };

/**
 * What was done, as `<object>.<verb>`: notice.publish, notice.update, notice.withdraw,
 * user.add, user.change, user.remove, token.create, token.revoke, buyer.add; the firm's
 * company.export and company.delete. Free text is allowed for new kinds.
 */
export type AuditAction =
  | 'notice.publish' | 'notice.update' | 'notice.withdraw'
  | 'user.add' | 'user.change' | 'user.remove'
  | 'token.create' | 'token.revoke' | 'buyer.add'
  | 'company.export' | 'company.delete'
  | (string & {});

export const commandLine: Actor = { userId: null, roles: null, ip: null, via: 'command line' };

/** The actor of an HTTP request: its principal (or nobody) and the client address (`req.ip`, per TRUST_PROXY). */
export function actorOf(res: Response): Actor {
  const p = principalOf(res);
  return { userId: p?.userId ?? null, roles: p ? [...p.roles].join(' ') : null, ip: res.req.ip ?? null, via: p?.via ?? 'anonymous' };
}

/**
 * Appends one row. `who` is the request's response (its principal and address)
 * or an Actor. `details` is a small JSON object: never secrets (tokens, links).
 */
export async function audit(db: Db, who: Response | Actor, action: AuditAction, objectType: string, objectId: string | null, details: object = {}): Promise<void> {
  const actor = 'locals' in who ? actorOf(who) : who;
  await appendAudit(db, {
    user_id: actor.userId, roles: actor.roles, ip: actor.ip, action, object_type: objectType, object_id: objectId,
    details: { via: actor.via, ...details },
  });
}

export type AuditEntry = {
  id: string; at: string; userId: string | null; email: string | null; roles: string[]; action: string;
  objectType: string; objectId: string | null; ip: string | null; details: Record<string, unknown>;
};

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function readAudit(db: Db, limit: number, before?: string): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const rows = await auditPage(db, limit, { before });
  const entries = rows.map((r) => ({
    id: r.id, at: r.at, userId: r.user_id, email: r.email, roles: r.roles ? r.roles.split(' ') : [], action: r.action,
    objectType: r.object_type, objectId: r.object_id, ip: r.ip, details: JSON.parse(r.details) as Record<string, unknown>,
  }));
  return { entries, next: rows.length === limit ? rows[rows.length - 1].id : null };
}
