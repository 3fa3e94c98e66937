import type { Db } from '../../db/database.ts';

export async function noticeCodes(db: Db, noticeId: string) {
  const rows = await db.selectFrom('notice_cpv').select(['code', 'lot_id', 'is_main']).where('notice_id', '=', noticeId).execute();
  return rows.map((r) => ({ code: r.code, lotId: r.lot_id, isMain: r.is_main === 1 }));
}

/** Active subscriptions holding any of these codes: the only candidates a notice can touch. */
export async function subscriptionsWithCodes(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('subscription_cpv')
    .innerJoin('subscriptions', 'subscriptions.id', 'subscription_cpv.subscription_id')
    .select(['subscriptions.id', 'subscriptions.company_id', 'subscriptions.frequency', 'subscription_cpv.code'])
    .where('subscription_cpv.code', 'in', codes)
    .where('subscriptions.active', '=', 1)
    .execute();
}

export async function insertMatches(
  db: Db,
  rows: { id: string; notice_id: string; company_id: string; score: number; reasons: string; created_at: string }[],
) {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('matches')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['notice_id', 'company_id']).doNothing())
      .execute();
  }
}

export async function companiesMatchedFor(db: Db, companyId: string) {
  return db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .select(['matches.notice_id', 'matches.score', 'matches.reasons', 'matches.created_at', 'notices.title', 'notices.deadline'])
    .where('matches.company_id', '=', companyId)
    .orderBy('matches.created_at', 'desc')
    .execute();
}
