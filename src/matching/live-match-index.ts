// The match index as an engine holds it while subscriptions change: the large
// MatchIndex laid out at the last rebuild (`base`), and beside it a small one
// of the subscriptions added or changed since (`recent`), with the ids the
// base must no longer answer for (`stale`: removed or replaced since).
//
// Why two: the base lays a million subscriptions out in bucket order in
// typed arrays (≈4 s to build), and one change cannot be slotted in without
// laying it all out again. The recent index is laid out afresh after each
// change, which costs in proportion to the changes since the rebuild, not to
// every subscription; the engine folds everything back into one base (a
// rebuild from memory) once there are FOLD_AFTER of them.
//
// A match asks both and drops the base's answers for stale ids: the same
// subscriptions answer as if the base had been rebuilt, each by its current
// rule. With nothing changed since the rebuild, the base's results are
// returned as they are (the common case costs nothing more).
import type { MatchNotice, MatchResult, MatchSubscription } from '../domain/match.ts';
import { MatchIndex, type MatchResults } from './match-index.ts';

/**
 * Changes held beside the base before the engine rebuilds it. Laying the
 * recent subscriptions out costs about 2 µs each (measured): at most this many
 * keeps a change to 2–3 ms, and a rebuild (≈4 s at 1M) comes once in this many.
 */
export const FOLD_AFTER = 1024;

export class LiveMatchIndex {
  private readonly base: MatchIndex;
  private readonly stale = new Set<string>();
  private readonly recent = new Map<string, MatchSubscription>();
  /** The recent subscriptions laid out; null after a change until `settle()` or the next match. */
  private recentIndex: MatchIndex | null = null;

  constructor(subscriptions: Iterable<MatchSubscription> = []) {
    this.base = new MatchIndex(subscriptions);
  }

  /** Subscriptions changed since the base was built. */
  get changes(): number {
    return this.stale.size;
  }

  /** Adds a subscription, or replaces the rule held under its id. */
  put(sub: MatchSubscription): void {
    this.stale.add(sub.id);
    this.recent.set(sub.id, sub);
    this.recentIndex = null;
  }

  /** Forgets a subscription (nothing when it is not held). */
  remove(id: string): void {
    this.stale.add(id);
    if (this.recent.delete(id)) this.recentIndex = null;
  }

  /** Lays the recent subscriptions out now, so the cost falls on the change rather than on the next notice. */
  settle(): void {
    this.recentIndex ??= new MatchIndex(this.recent.values());
  }

  match(notice: MatchNotice, today: string): { results: MatchResults; evaluated: number } {
    const base = this.base.match(notice, today);
    if (!this.stale.size) return base;
    this.settle();
    const recent = this.recentIndex!.match(notice, today);
    const kept: number[] = [];
    for (let i = 0; i < base.results.size; i++) if (!this.stale.has(base.results.subscriptionId(i))) kept.push(i);
    return { results: new CombinedResults(base.results, kept, recent.results), evaluated: base.evaluated + recent.evaluated };
  }
}

/** The base's results that still stand (`kept`, by position), then the recent index's. */
class CombinedResults implements MatchResults {
  readonly size: number;

  constructor(
    private readonly base: MatchResults,
    private readonly kept: number[],
    private readonly recent: MatchResults,
  ) {
    this.size = kept.length + recent.size;
  }

  subscriptionId(i: number): string {
    return i < this.kept.length ? this.base.subscriptionId(this.kept[i]) : this.recent.subscriptionId(i - this.kept.length);
  }

  companyId(i: number): string {
    return i < this.kept.length ? this.base.companyId(this.kept[i]) : this.recent.companyId(i - this.kept.length);
  }

  score(i: number): number {
    return i < this.kept.length ? this.base.score(this.kept[i]) : this.recent.score(i - this.kept.length);
  }

  result(i: number): MatchResult {
    return i < this.kept.length ? this.base.result(this.kept[i]) : this.recent.result(i - this.kept.length);
  }

  toArray(): MatchResult[] {
    const out = new Array<MatchResult>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.result(i);
    return out;
  }

  *[Symbol.iterator](): Iterator<MatchResult> {
    for (let i = 0; i < this.size; i++) yield this.result(i);
  }

  /** As bestPerCompany(this.toArray()) in src/domain/match.ts, building only the winners. */
  bestPerCompany(): MatchResult[] {
    const best = new Map<string, number>();
    for (let i = 0; i < this.size; i++) {
      const company = this.companyId(i);
      const b = best.get(company);
      if (b === undefined || this.score(i) > this.score(b) || (this.score(i) === this.score(b) && this.subscriptionId(i) < this.subscriptionId(b))) best.set(company, i);
    }
    return [...best.values()].map((i) => this.result(i));
  }
}
