// Applies the match rules to one notice and records the result.
import type { Db } from '../../db/database.ts';
import { bestCpvHit, candidateCategories, cpvReason, isAlertable, scoreCpvHit } from '../domain/match.ts';
import { newId, nowIso } from '../ids.ts';
import * as notices from '../notices/notices.repo.ts';
import * as repo from './matching.repo.ts';

export type MatchOutcome = {
  matched: string[];
  /** Firms to alert now: an instant subscription matched and the notice is still open. */
  instant: string[];
};

/**
 * Idempotent: running it twice for the same notice stores each (notice, firm)
 * match once and names the same firms for instant alerts; the delivery ledger
 * decides whether an alert was already sent.
 */
export async function matchNotice(db: Db, noticeId: string, now = new Date()): Promise<MatchOutcome> {
  const notice = await notices.findById(db, noticeId);
  if (!notice || notice.status !== 'active') return { matched: [], instant: [] };

  const codes = await repo.noticeCodes(db, noticeId);
  const rows = await repo.subscriptionsWithCodes(db, candidateCategories(codes));
  const byCompany = new Map<string, { categories: string[]; instant: boolean }>();
  for (const row of rows) {
    const entry = byCompany.get(row.company_id) ?? { categories: [], instant: false };
    entry.categories.push(row.code);
    entry.instant ||= row.frequency === 'instant';
    byCompany.set(row.company_id, entry);
  }

  const created = nowIso();
  const matches: Parameters<typeof repo.insertMatches>[1] = [];
  for (const [companyId, { categories }] of byCompany) {
    const hit = bestCpvHit(codes, categories);
    if (!hit) continue;
    matches.push({
      id: newId(), notice_id: noticeId, company_id: companyId,
      score: scoreCpvHit(hit), reasons: JSON.stringify([cpvReason(hit)]), created_at: created,
    });
  }
  await db.transaction().execute((trx) => repo.insertMatches(trx, matches));

  const matched = matches.map((m) => m.company_id);
  const alertable = isAlertable(notice, now);
  return { matched, instant: alertable ? matched.filter((id) => byCompany.get(id)!.instant) : [] };
}
