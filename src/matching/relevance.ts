// The last step of matching a notice, for the worker and eval:matching alike:
// the rules' results (the index) moved by each firm's record — award history,
// "inte relevant" — and held to each subscription's minimum score, then one
// per firm. No second model: what eval:matching measures is what is alerted.
import { bestPerCompany, type MatchNotice, type MatchResult, type MatchSubscription } from '../domain/match.ts';
import { rescore, type FirmRecord } from '../domain/relevance.ts';
import type { MatchResults } from './match-index.ts';

export type Rescoring = {
  /** Each firm's record, by company id (firms without one are left as the rules scored them). */
  records: ReadonlyMap<string, FirmRecord>;
  /** The rule of a subscription in the index. */
  rule(subscriptionId: string): MatchSubscription | undefined;
  /** Whether any subscription has a minimum score (else, with no records, the rules' results stand as they are). */
  anyMinScore: boolean;
};

/** The results that stand, one per subscription: rescored, none below its subscription's minimum. */
export function standingResults(results: MatchResults, notice: MatchNotice, r: Rescoring): MatchResult[] {
  if (!r.records.size && !r.anyMinScore) return results.toArray();
  const out: MatchResult[] = [];
  for (let i = 0; i < results.size; i++) {
    const companyId = results.companyId(i);
    const sub = r.rule(results.subscriptionId(i));
    if (!sub) continue;
    const record = r.records.get(companyId);
    if (!record && (sub.minScore ?? null) === null) {
      out.push(results.result(i));
      continue;
    }
    const result = rescore(results.result(i), notice, sub, record);
    if (result) out.push(result);
  }
  return out;
}

/** One result per firm after the records: what is recorded and alerted. */
export function relevantMatches(results: MatchResults, notice: MatchNotice, r: Rescoring): MatchResult[] {
  if (!r.records.size && !r.anyMinScore) return results.bestPerCompany();
  return bestPerCompany(standingResults(results, notice, r));
}
