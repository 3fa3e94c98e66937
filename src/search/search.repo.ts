// The portable reads of search: stored notices for the index, and names for
// facets. Dialect-specific SQL stays in the adapters (fts5.ts, meilisearch.ts).
import type { Db } from '../../db/database.ts';

export async function noticesByIds(db: Db, ids: string[]) {
  return db.selectFrom('notices').selectAll().where('id', 'in', ids).execute();
}

/** Active notices with an id after `after`, oldest first (ids are ULIDs: creation order). */
export async function activeNoticesAfter(db: Db, after: string, limit: number) {
  return db
    .selectFrom('notices')
    .selectAll()
    .where('status', '=', 'active')
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countActiveNotices(db: Db): Promise<number> {
  const row = await db
    .selectFrom('notices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function buyerNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('buyers').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of imported municipalities (the built-in ones live in domain/regions.ts). */
export async function municipalityNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  const rows = await db.selectFrom('municipalities').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
