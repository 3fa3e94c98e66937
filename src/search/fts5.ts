// The embedded search index: SQLite FTS5, kept in step by the index job.
// SQLite-only SQL lives here and nowhere else.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export async function ensureFtsTable(db: Db): Promise<void> {
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS notices_fts USING fts5(
    notice_id UNINDEXED, title, description, buyer, tokenize = 'unicode61 remove_diacritics 0'
  )`.execute(db);
}

/** Idempotent: replaces the notice's entry, or removes it when the notice is gone or withdrawn. */
export async function indexNotice(db: Db, noticeId: string): Promise<'indexed' | 'removed'> {
  const notice = await db
    .selectFrom('notices')
    .innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
    .select(['notices.title', 'notices.description', 'notices.status', 'buyers.name as buyer'])
    .where('notices.id', '=', noticeId)
    .executeTakeFirst();
  return db.transaction().execute(async (trx) => {
    await sql`DELETE FROM notices_fts WHERE notice_id = ${noticeId}`.execute(trx);
    if (!notice || notice.status !== 'active') return 'removed';
    await sql`INSERT INTO notices_fts (notice_id, title, description, buyer)
      VALUES (${noticeId}, ${notice.title}, ${notice.description ?? ''}, ${notice.buyer})`.execute(trx);
    return 'indexed';
  });
}

/** Notice ids for a plain-word query, best first (bm25, title weighted above description). */
export async function searchIds(db: Db, query: string, limit = 20): Promise<string[]> {
  const terms = query.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (terms.length === 0) return [];
  const match = terms.map((term) => `"${term}"*`).join(' ');
  const { rows } = await sql<{ notice_id: string }>`SELECT notice_id FROM notices_fts
    WHERE notices_fts MATCH ${match} ORDER BY bm25(notices_fts, 0, 10, 2, 1) LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.notice_id);
}
