// Who hears about a material change of a notice by its own e-mail: firms that
// were alerted to it and follow tenders instantly. Firms on daily or weekly
// digests read the same change in their next digest.
import type { Db } from '../../db/database.ts';
import type { ChangeDetail } from '../domain/changes.ts';

export async function changeRecipients(db: Db, noticeId: string, revision: number): Promise<string[]> {
  if (!(await materialChange(db, noticeId, revision))) return [];
  const rows = await db
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
    )
    .execute();
  return rows.map((r) => r.id);
}

export type MaterialChange = { revision: number; details: ChangeDetail[]; reason: string | null };

/** The material changes of a notice after revision `after`, up to `upTo`, oldest first. */
export async function materialChangesSince(db: Db, noticeId: string, after: number, upTo = Number.MAX_SAFE_INTEGER): Promise<MaterialChange[]> {
  const rows = await db
    .selectFrom('notice_changes')
    .select(['revision', 'details', 'reason'])
    .where('notice_id', '=', noticeId)
    .where('revision', '>', after)
    .where('revision', '<=', upTo)
    .where('material', '=', 1)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({ revision: r.revision, details: JSON.parse(r.details), reason: r.reason }));
}

/** The material change that made this revision, if it was one. */
export async function materialChange(db: Db, noticeId: string, revision: number): Promise<MaterialChange | null> {
  return (await materialChangesSince(db, noticeId, revision - 1, revision))[0] ?? null;
}
