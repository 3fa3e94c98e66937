// `evaluate` (src/domain/match.ts) stays the reference: matchBruteForce runs
// it over every subscription, and the property test holds the index to it.
import { evaluate, type MatchNotice, type MatchResult, type MatchSubscription } from '../../domain/match.ts';

/** The reference the index must agree with: every subscription, every rule. */
export function matchBruteForce(subscriptions: Iterable<MatchSubscription>, notice: MatchNotice, today: string): MatchResult[] {
  const results: MatchResult[] = [];
  for (const sub of subscriptions) {
    const result = evaluate(notice, sub, today);
    if (result) results.push(result);
  }
  return results;
}
