// "Inte relevant": a firm says a match is not for it, and why. Stored per
// (firm, notice); the dashboard marks such matches, and matching lowers the
// score of notices like it (src/domain/relevance.ts): the engines reload
// firms' records with the subscriptions, so the revision moves.
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { bumpSubscriptionsRevision } from '../companies/companies.repo.ts';
import { cleanText } from '../domain/text.ts';
import { notFound } from '../http/errors.ts';
import { nowIso } from '../ids.ts';
import { deleteFeedback, FEEDBACK_REASONS, hasMatch, saveFeedback } from './feedback.repo.ts';

export const feedbackInputSchema = z.object({
  reason: z.enum(FEEDBACK_REASONS),
  comment: z.string().overwrite((s) => cleanText(s)).trim().max(500).nullable().default(null).transform((s) => s || null),
});
export type FeedbackInput = z.output<typeof feedbackInputSchema>;

export async function markNotRelevant(db: Db, companyId: string, noticeId: string, input: FeedbackInput, userId: string | null): Promise<void> {
  if (!(await hasMatch(db, companyId, noticeId))) throw notFound('Match');
  await saveFeedback(db, { companyId, noticeId, reason: input.reason, comment: input.comment, userId }, nowIso());
  // The firm's record changed: the match engines read it again (not the whole index).
  await bumpSubscriptionsRevision(db, { kind: 'company', ref: companyId });
}

/** Takes the feedback back: the match shows as before. */
export async function undoNotRelevant(db: Db, companyId: string, noticeId: string): Promise<void> {
  if (!(await hasMatch(db, companyId, noticeId))) throw notFound('Match');
  await deleteFeedback(db, companyId, noticeId);
  await bumpSubscriptionsRevision(db, { kind: 'company', ref: companyId });
}
