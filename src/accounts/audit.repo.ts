// Reading the audit log (appending is accounts.repo's appendAudit). There is
// no update or delete here, by design.
import type { Db } from '../../db/database.ts';

/** One page, newest first, with the acting user's address while that user exists. */
export async function auditPage(db: Db, limit: number, before?: string) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .selectAll('audit_log')
    .select('users.email')
    .orderBy('audit_log.id', 'desc')
    .limit(limit);
  if (before) query = query.where('audit_log.id', '<', before);
  return query.execute();
}
