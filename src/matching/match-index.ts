// An in-memory index of subscriptions by CPV code, so a notice is evaluated
// only against the subscriptions its codes can touch, never against all.
//
// A subscription is a number and a few integers in typed arrays, not an
// object; the index keeps no MatchSubscription alive. Its parts, in
// ./match-index/:
//   buckets.ts           a category code with or without includeParent; which a notice touches
//   firms.ts             firms by company id; capability profiles by content
//   filters.ts           filter combinations, each decided once per notice
//   profile-outcomes.ts  what a profile makes of a notice, once per set of capabilities in force
//   layout.ts            subscriptions in columns, bucket by bucket
//   match-loop.ts        the hot loop
//   results.ts           compact results; MatchResult objects only when asked for
//   brute-force.ts       the reference: `evaluate` over every subscription
//   typed-lists.ts, interned.ts
//
// `evaluate` (src/domain/match.ts) stays the reference: matchBruteForce runs
// it over every subscription, and the property test holds the two together.
import { asksProfile, type MatchNotice, type MatchSubscription } from '../domain/match.ts';
import { Buckets } from './match-index/buckets.ts';
import { Filters } from './match-index/filters.ts';
import { Firms } from './match-index/firms.ts';
import { buildLayout, readColumns, type Layout } from './match-index/layout.ts';
import { MatchLoop } from './match-index/match-loop.ts';
import { ProfileOutcomes } from './match-index/profile-outcomes.ts';
import { MatchResults, type ResultSource, type Snapshot } from './match-index/results.ts';
import { grow } from './match-index/typed-lists.ts';

export { matchBruteForce } from './match-index/brute-force.ts';
// Readers take any match (one index's, or LiveMatchIndex's over two), as `MatchResults`.
export type { Matches as MatchResults } from './match-index/results.ts';

export class MatchIndex {
  private readonly firms = new Firms();
  private readonly filters = new Filters();
  private readonly buckets = new Buckets();
  private readonly outcomes = new ProfileOutcomes(this.firms);
  private readonly loop = new MatchLoop(this.buckets, this.filters, this.outcomes);
  private layout: Layout | null = null;
  private pending: MatchSubscription[] = [];
  /** One stamp per search (and per bestPerCompany): scratch holding an older stamp counts as unset. */
  private stamp = 0;
  /** By firm number, bestPerCompany's scratch, lent to results. */
  private firmSeen = new Uint32Array(0);
  private firmBest = new Int32Array(0);
  private readonly source: ResultSource = {
    companyIds: this.firms.companyIds,
    keywordQuery: (filter) => this.filters.keywordQuery(filter),
    firmScratch: () => ({ stamp: this.nextStamp(), seen: this.firmSeen, best: this.firmBest }),
  };

  constructor(subscriptions: Iterable<MatchSubscription> = []) {
    for (const sub of subscriptions) this.pending.push(sub);
    this.relayout();
  }

  get size(): number {
    return (this.layout?.n ?? 0) + this.pending.length;
  }

  /** Takes effect at the next search, which lays the columns out again; the object is held until then, not after. */
  add(sub: MatchSubscription): void {
    this.pending.push(sub);
  }

  match(notice: MatchNotice, today: string): { results: MatchResults; evaluated: number } {
    if (this.pending.length || !this.layout) this.relayout();
    const L = this.layout!;
    const stamp = this.nextStamp();
    const snapshot: Snapshot = { hits: [], reasons: new Map(), outcomes: [], keywordHits: new Map() };
    this.filters.prepare(notice, stamp, snapshot.keywordHits);
    this.outcomes.prepare(notice, today, stamp, snapshot.outcomes);
    const found = this.loop.run(notice, L, stamp, asksProfile(notice.criteria), snapshot);
    return { results: new MatchResults(this.source, L, found, snapshot), evaluated: found.evaluated };
  }

  private nextStamp(): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      // Wrapped around: forget every old stamp.
      this.buckets.forget();
      this.filters.forget();
      this.outcomes.forget();
      this.firmSeen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** Lays every subscription out again, the pending ones included, and sizes the per-search scratch to what is indexed now. */
  private relayout(): void {
    const batch = readColumns(this.pending, this.firms, this.filters, this.buckets);
    this.pending = [];
    this.layout = buildLayout([this.layout, batch], this.buckets);
    this.buckets.fit();
    this.filters.fit();
    this.outcomes.fit();
    this.loop.fit();
    this.firmSeen = grow(this.firmSeen, this.firms.companyIds.length);
    this.firmBest = grow(this.firmBest, this.firms.companyIds.length);
  }
}
