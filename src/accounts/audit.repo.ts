// Reading the audit log (appending is accounts.repo's appendAudit). There is
// no update or delete here, by design.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { likeIgnoringCase } from '../../db/dialect.ts';

export type AuditFilter = {
  /** Part of the acting user's e-mail address. */
  actor?: string | null;
  action?: string | null;
  /** ISO instants, from inclusive, until exclusive. */
  from?: string | null;
  until?: string | null;
  /** The id of the last entry of the previous page. */
  before?: string | null;
};

/** One page, newest first, filtered, with the acting user's address while that user exists. */
export async function auditPage(db: Db, limit: number, f: AuditFilter = {}) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .selectAll('audit_log')
    .select('users.email')
    .orderBy('audit_log.id', 'desc')
    .limit(limit);
  if (f.actor) {
    const pattern = `%${f.actor.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`;
    query = query.where(sql<boolean>`users.email ${sql.raw(likeIgnoringCase(db))} ${pattern} escape '\\'`);
  }
  if (f.action) query = query.where('audit_log.action', '=', f.action);
  if (f.from) query = query.where('audit_log.at', '>=', f.from);
  if (f.until) query = query.where('audit_log.at', '<', f.until);
  if (f.before) query = query.where('audit_log.id', '<', f.before);
  return query.execute();
}

/** The actions the log holds, for the filter's choices. */
export async function auditActions(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}
