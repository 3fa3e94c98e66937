// What firms' records are built from: every award Brygga holds (eForms, OCDS,
// UHM and officer-registered), the procurements per category meanwhile, and
// the notices firms marked "inte relevant".
import type { Db } from '../../db/database.ts';

/** Each award with its notice's main code (procedure level), buyer, title and day. */
export async function listAwardHistory(db: Db) {
  return db
    .selectFrom('awards')
    .innerJoin('notices', 'notices.id', 'awards.notice_id')
    .innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
    .innerJoin('notice_cpv', (join) => join.onRef('notice_cpv.notice_id', '=', 'notices.id').on('notice_cpv.is_main', '=', 1).on('notice_cpv.lot_id', 'is', null))
    .select([
      'awards.winner_name', 'awards.winner_org_number', 'awards.awarded_on', 'notices.id as notice_id', 'notices.procedure_id',
      'notices.published_at', 'notices.title', 'notice_cpv.code', 'buyers.org_number as buyer_org', 'buyers.name as buyer_name',
    ])
    .execute();
}

/** The main code and day of every notice: how many procurements each category had. */
export async function listProcurementCodes(db: Db) {
  return db
    .selectFrom('notices')
    .innerJoin('notice_cpv', (join) => join.onRef('notice_cpv.notice_id', '=', 'notices.id').on('notice_cpv.is_main', '=', 1).on('notice_cpv.lot_id', 'is', null))
    .select(['notices.id', 'notices.procedure_id', 'notices.published_at', 'notice_cpv.code'])
    .execute();
}

/** Every "inte relevant" with its notice's title, buyer and codes. */
export async function listNotRelevant(db: Db, companyIds?: string[]) {
  let query = db
    .selectFrom('match_feedback')
    .innerJoin('notices', 'notices.id', 'match_feedback.notice_id')
    .innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
    .select(['match_feedback.company_id', 'notices.id as notice_id', 'notices.title', 'buyers.org_number as buyer_org', 'buyers.name as buyer_name'])
    .where('match_feedback.relevant', '=', 0);
  if (companyIds) query = query.where('match_feedback.company_id', 'in', companyIds);
  const rows = await query.execute();
  const codes = rows.length
    ? await db.selectFrom('notice_cpv').select(['notice_id', 'code']).where('notice_id', 'in', [...new Set(rows.map((r) => r.notice_id))]).execute()
    : [];
  return { rows, codes };
}

/** Every firm's keys, or those of `companyIds`. */
export async function companyKeys(db: Db, companyIds?: string[]) {
  let query = db.selectFrom('companies').select(['id', 'org_number', 'name']);
  if (companyIds) query = query.where('id', 'in', companyIds);
  return query.execute();
}

/** Changes whenever an award is added or removed: the history must then be read again. */
export async function awardsMark(db: Db): Promise<string> {
  const row = await db.selectFrom('awards').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('last')]).executeTakeFirstOrThrow();
  return `${row.n}/${row.last ?? ''}`;
}
