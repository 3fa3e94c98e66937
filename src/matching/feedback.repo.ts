// A firm's "inte relevant" on its matches (table match_feedback, migration 0010).
import type { Db } from '../../db/database.ts';

export const FEEDBACK_REASONS = ['wrong-category', 'too-far', 'too-large', 'too-small', 'requirements', 'other'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

export type Feedback = { companyId: string; noticeId: string; reason: FeedbackReason; comment: string | null; userId: string | null };

/** One row per (firm, notice): saying it again replaces the reason. */
export async function saveFeedback(db: Db, f: Feedback, at: string): Promise<void> {
  const values = { reason: f.reason, comment: f.comment, user_id: f.userId, relevant: 0, created_at: at };
  await db
    .insertInto('match_feedback')
    .values({ company_id: f.companyId, notice_id: f.noticeId, ...values })
    .onConflict((oc) => oc.columns(['company_id', 'notice_id']).doUpdateSet(values))
    .execute();
}

export async function deleteFeedback(db: Db, companyId: string, noticeId: string): Promise<void> {
  await db.deleteFrom('match_feedback').where('company_id', '=', companyId).where('notice_id', '=', noticeId).execute();
}

/** The firm's feedback on these notices (all of it when none are named). */
export async function feedbackOf(db: Db, companyId: string, noticeIds?: string[]) {
  if (noticeIds && noticeIds.length === 0) return [];
  let query = db.selectFrom('match_feedback').select(['notice_id', 'reason', 'comment', 'created_at']).where('company_id', '=', companyId);
  if (noticeIds) query = query.where('notice_id', 'in', noticeIds);
  return query.execute();
}

/** Whether the firm has a match for this notice (feedback is only taken on a match). */
export async function hasMatch(db: Db, companyId: string, noticeId: string): Promise<boolean> {
  const row = await db.selectFrom('matches').select('id').where('company_id', '=', companyId).where('notice_id', '=', noticeId).executeTakeFirst();
  return row !== undefined;
}
