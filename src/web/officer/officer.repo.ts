// What the officer's pages read: a buyer's notices with how many firms each
// reached (matches) and was e-mailed about (the delivery ledger), and the drafts.
import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { newId, nowIso } from '../../ids.ts';

/** A buyer's notices, newest first, with whether an award is registered. */
export async function buyerNotices(db: Db, buyerId: string, limit = 500) {
  return db
    .selectFrom('notices')
    .select(['id', 'title', 'source', 'kind', 'status', 'deadline', 'published_at', 'updated_at', 'reference'])
    .select((eb) => eb.exists(eb.selectFrom('awards').select('awards.id').whereRef('awards.notice_id', '=', 'notices.id')).as('awarded'))
    .where('buyer_id', '=', buyerId)
    .orderBy(sql`coalesce(published_at, created_at)`, 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type Reach = { total: number; local: number };

const isLocal = (localArea: string[]) =>
  sql<number>`case when companies.municipality_code in (${sql.join(localArea.length ? localArea : [''])}) then 1 else 0 end`;

/** Per notice: the firms it matched, and of them those in the local area. */
export async function matchedFirms(db: Db, noticeIds: string[], localArea: string[]): Promise<Map<string, Reach>> {
  if (!noticeIds.length) return new Map();
  const rows = await db
    .selectFrom('matches')
    .innerJoin('companies', 'companies.id', 'matches.company_id')
    .select(['matches.notice_id'])
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(isLocal(localArea)).as('local')])
    .where('matches.notice_id', 'in', noticeIds)
    .groupBy('matches.notice_id')
    .execute();
  return new Map(rows.map((r) => [r.notice_id, { total: Number(r.total), local: Number(r.local ?? 0) }]));
}

/** Per notice: the firms an e-mail about it was sent to (any section: new, changed, closing, reminder), and the local ones. */
export async function alertedFirms(db: Db, noticeIds: string[], localArea: string[]): Promise<Map<string, Reach>> {
  if (!noticeIds.length) return new Map();
  const rows = await db
    .selectFrom('delivery_items')
    .innerJoin('deliveries', 'deliveries.id', 'delivery_items.delivery_id')
    .innerJoin('companies', 'companies.id', 'delivery_items.company_id')
    .select(['delivery_items.notice_id'])
    .select([
      sql<number>`count(distinct delivery_items.company_id)`.as('total'),
      sql<number>`count(distinct case when ${isLocal(localArea)} = 1 then delivery_items.company_id end)`.as('local'),
    ])
    .where('delivery_items.notice_id', 'in', noticeIds)
    .where('deliveries.status', '=', 'sent')
    .groupBy('delivery_items.notice_id')
    .execute();
  return new Map(rows.map((r) => [r.notice_id, { total: Number(r.total), local: Number(r.local) }]));
}

/** The awards of a notice, as registered. */
export async function noticeAwards(db: Db, noticeId: string) {
  return db.selectFrom('awards').select(['lot_id', 'winner_name', 'winner_org_number', 'amount', 'currency', 'awarded_on'])
    .where('notice_id', '=', noticeId).execute();
}

export async function listDrafts(db: Db, buyerId: string) {
  return db.selectFrom('notice_drafts').select(['id', 'title', 'updated_at']).where('buyer_id', '=', buyerId).orderBy('updated_at', 'desc').limit(200).execute();
}

/** A draft by its id alone (the route checks that the caller may act for its buyer). */
export async function draftById(db: Db, id: string) {
  return db.selectFrom('notice_drafts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Saves the form as the draft `id` (new when null); returns its id. */
export async function saveDraft(db: Db, draft: { id: string | null; buyerId: string; userId: string; title: string; form: object }): Promise<string> {
  const now = nowIso();
  if (draft.id) {
    const updated = await db.updateTable('notice_drafts').set({ title: draft.title, form: JSON.stringify(draft.form), updated_at: now })
      .where('id', '=', draft.id).where('buyer_id', '=', draft.buyerId).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return draft.id;
  }
  const id = newId();
  await db.insertInto('notice_drafts').values({
    id, buyer_id: draft.buyerId, title: draft.title, form: JSON.stringify(draft.form), created_by: draft.userId, created_at: now, updated_at: now,
  }).execute();
  return id;
}

export async function deleteDraft(db: Db, buyerId: string, id: string): Promise<void> {
  await db.deleteFrom('notice_drafts').where('buyer_id', '=', buyerId).where('id', '=', id).execute();
}
