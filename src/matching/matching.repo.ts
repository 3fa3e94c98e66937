import type { Db } from '../../db/database.ts';

export async function matchesForCompany(db: Db, companyId: string) {
  return db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .select([
      'matches.notice_id', 'matches.score', 'matches.reasons', 'matches.missing', 'matches.subscription_id',
      'matches.created_at', 'notices.title', 'notices.deadline',
    ])
    .where('matches.company_id', '=', companyId)
    .orderBy('matches.created_at', 'desc')
    .orderBy('matches.score', 'desc')
    .execute();
}
