// A firm's matches as the API and the firm's dashboard show them: open notices
// first, soonest deadline first, each with its score, reasons, what the firm
// is missing, and the firm's own "inte relevant" when it gave one.
import type { Db } from '../../db/database.ts';
import { isAlertable } from '../domain/alerts.ts';
import { notFound } from '../http/errors.ts';
import { feedbackOf } from './feedback.repo.ts';
import { companyExists, matchesForCompany } from './matching.repo.ts';

export type MatchesQuery = { status: 'open' | 'closed' | 'all'; page: number; pageSize: number };
export type Reason = { code: string; sv: string; en: string };

export async function firmMatches(db: Db, companyId: string, query: MatchesQuery, alertMaxAgeDays: number, now = new Date()) {
  if (!(await companyExists(db, companyId))) throw notFound('Company');
  const { rows, total } = await matchesForCompany(db, companyId, { ...query, now, maxAgeDays: alertMaxAgeDays });
  const feedback = new Map((await feedbackOf(db, companyId, rows.map((r) => r.notice_id))).map((f) => [f.notice_id, f]));
  const items = rows.map((r) => {
    const facts = { source: r.source, kind: r.kind, status: r.notice_status, deadline: r.deadline, publishedAt: r.published_at, awarded: Boolean(r.awarded) };
    const f = feedback.get(r.notice_id);
    return {
      noticeId: r.notice_id, title: r.title, status: matchStatus(facts, now, alertMaxAgeDays), deadline: r.deadline,
      score: r.score, reasons: JSON.parse(r.reasons) as Reason[], missing: JSON.parse(r.missing) as string[], subscriptionId: r.subscription_id,
      matchedAt: r.created_at, notRelevant: f ? { reason: f.reason, comment: f.comment, at: f.created_at } : null,
    };
  });
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** Open while the notice invites bids; a withdrawn one says so, rather than "closed" beside a deadline ahead. */
function matchStatus(facts: Parameters<typeof isAlertable>[0], now: Date, alertMaxAgeDays: number): 'open' | 'closed' | 'withdrawn' {
  if (facts.status === 'withdrawn') return 'withdrawn';
  return isAlertable(facts, now, alertMaxAgeDays) ? 'open' : 'closed';
}
