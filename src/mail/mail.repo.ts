// The reads behind the e-mail: who receives which scheduled or change e-mail,
// and the matched notices a firm's e-mail lists. The ledger is ledger.repo.ts.
import type { Db } from '../../db/database.ts';

/**
 * Firms with a confirmed address and an active subscription of this
 * frequency, or (`reminders`) with closing reminders set.
 */
export async function confirmedSubscribers(db: Db, which: { frequency: string } | { reminders: true }): Promise<string[]> {
  let query = db
    .selectFrom('subscriptions')
    .innerJoin('companies', 'companies.id', 'subscriptions.company_id')
    .select('companies.id')
    .distinct()
    .where('subscriptions.active', '=', 1)
    .where('companies.email_status', '=', 'confirmed');
  query = 'reminders' in which
    ? query.where('subscriptions.reminder_days', 'is not', null)
    : query.where('subscriptions.frequency', '=', which.frequency);
  const rows = await query.execute();
  return rows.map((r) => r.id);
}

/** Firms told about this notice as new, with a confirmed address and an active instant subscription. */
export async function instantFirmsToldOf(db: Db, noticeId: string): Promise<string[]> {
  const rows = await instantFirmsToldOfQuery(db, noticeId).execute();
  return rows.map((r) => r.id);
}

/** Asked by every match job: the notice's items are found by index (delivery_items_notice_idx). */
export function instantFirmsToldOfQuery(db: Db, noticeId: string) {
  return db
    .selectFrom('delivery_items')
    .innerJoin('companies', 'companies.id', 'delivery_items.company_id')
    .select('companies.id')
    .distinct()
    .where('delivery_items.notice_id', '=', noticeId)
    .where('delivery_items.section', '=', 'new')
    .where('companies.email_status', '=', 'confirmed')
    .where((eb) =>
      eb.exists(
        eb.selectFrom('subscriptions').select('id')
          .whereRef('subscriptions.company_id', '=', 'companies.id')
          .where('subscriptions.frequency', '=', 'instant')
          .where('subscriptions.active', '=', 1),
      ),
    );
}

/** Every notice that matched the firm, with the match's score and subscriptions. */
export async function matchedNotices(db: Db, companyId: string) {
  return db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .selectAll('notices')
    .select(['matches.subscription_ids', 'matches.score'])
    .where('matches.company_id', '=', companyId)
    .execute();
}

/** These notices, each with the reasons it matched the firm (null when it did not). */
export async function noticesWithReasons(db: Db, companyId: string, noticeIds: string[]) {
  return db
    .selectFrom('notices')
    .leftJoin('matches', (join) => join.onRef('matches.notice_id', '=', 'notices.id').on('matches.company_id', '=', companyId))
    .selectAll('notices')
    .select('matches.reasons')
    .where('notices.id', 'in', noticeIds)
    .execute();
}

/** The firm's subscriptions that matched these notices: each gets its own stop link in the e-mail. */
export async function matchedSubscriptionIds(db: Db, companyId: string, noticeIds: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('matches').select('subscription_ids')
    .where('company_id', '=', companyId).where('notice_id', 'in', noticeIds)
    .execute();
  return [...new Set(rows.flatMap((r) => JSON.parse(r.subscription_ids) as string[]))];
}
