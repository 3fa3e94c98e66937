// Results come back compact: subscription, score, and what explains it, in
// columns. MatchResult objects with their reasons are built only when asked
// for, or only each firm's best.
import { cpvHitReason, keywordReason, type CpvHit, type MatchResult, type ProfileOutcome, type Reason } from '../../domain/match.ts';
import type { Columns } from './layout.ts';

/** What a search keeps for building MatchResult objects later. */
export type Snapshot = {
  hits: CpvHit[];
  /** The reasons of each (hit, profile outcome, keyword query) met, once built: shared and frozen. */
  reasons: Map<number, Map<number, readonly Reason[]>>;
  outcomes: ProfileOutcome[];
  /** Keyword query id → its hits in this notice (queries that passed with hits). */
  keywordHits: Map<number, string[]>;
};

/** What results read of the index that found them, and nothing else. */
export interface ResultSource {
  /** Company ids by firm number. */
  readonly companyIds: readonly string[];
  /** The keyword query of a filter combination (-1: none). */
  keywordQuery(filter: number): number;
  /** Scratch by firm number for bestPerCompany: arrays as long as the firms, and a stamp not yet in `seen`. */
  firmScratch(): { stamp: number; seen: Uint32Array; best: Int32Array };
}

/** The matched subscriptions in columns: by result, its subscription (in the layout), CPV hit, score and profile outcome. */
export type Found = {
  size: number;
  subs: Int32Array;
  hits: Int32Array;
  scores: Uint8Array;
  /** null when the notice asks nothing of the firm's profile (outcome 0 for all). */
  outcomes: Int32Array | null;
};

/** What a match offers its reader, whichever index (or indexes) found it. */
export interface Matches extends Iterable<MatchResult> {
  readonly size: number;
  subscriptionId(i: number): string;
  companyId(i: number): string;
  score(i: number): number;
  result(i: number): MatchResult;
  toArray(): MatchResult[];
  /** Each firm's best result: the highest score, the lowest subscription id among equals. */
  bestPerCompany(): MatchResult[];
}

/**
 * The subscriptions a notice matched, in columns: subscription, score, and
 * what explains it. `toArray()` builds the MatchResult objects (with reasons)
 * that `evaluate` would; `bestPerCompany()` only the best one per firm. Their
 * `reasons` and `missing` arrays are shared between like results and frozen
 * (evaluate's are fresh; the contents are the same).
 */
export class MatchResults implements Matches {
  readonly size: number;
  private readonly subs: Int32Array;
  private readonly hits: Int32Array;
  private readonly scores: Uint8Array;
  private readonly outcomes: Int32Array | null;

  /** Made by MatchIndex.match. */
  constructor(
    private readonly source: ResultSource,
    private readonly columns: Pick<Columns, 'id' | 'company' | 'hot'>,
    found: Found,
    private readonly snapshot: Snapshot,
  ) {
    this.size = found.size;
    this.subs = found.subs;
    this.hits = found.hits;
    this.scores = found.scores;
    this.outcomes = found.outcomes;
  }

  subscriptionId(i: number): string {
    return this.columns.id[this.subs[i]];
  }

  companyId(i: number): string {
    return this.source.companyIds[this.columns.company[this.subs[i]]];
  }

  score(i: number): number {
    return this.scores[i];
  }

  /** The i-th result as evaluate builds it (its `reasons` and `missing` arrays shared with like results, and frozen). */
  result(i: number): MatchResult {
    const L = this.columns;
    const { hits, outcomes, keywordHits, reasons: known } = this.snapshot;
    const s = this.subs[i];
    const h = this.hits[i];
    const o = this.outcomes ? this.outcomes[i] : 0;
    const keywords = this.source.keywordQuery(L.hot[2 * s + 1] >> 1);
    let byKeywords = known.get(h * outcomes.length + o);
    if (!byKeywords) known.set(h * outcomes.length + o, (byKeywords = new Map()));
    let reasons = byKeywords.get(keywords);
    if (!reasons) {
      const list = [cpvHitReason(hits[h])];
      const keywordHit = keywords >= 0 ? keywordHits.get(keywords) : undefined;
      if (keywordHit) list.push(keywordReason(keywordHit));
      list.push(...outcomes[o].reasons);
      byKeywords.set(keywords, (reasons = Object.freeze(list)));
      Object.freeze(outcomes[o].missing);
    }
    return {
      subscriptionId: L.id[s], companyId: this.source.companyIds[L.company[s]], score: this.scores[i],
      reasons: reasons as Reason[], missing: outcomes[o].missing,
    };
  }

  toArray(): MatchResult[] {
    const out = new Array<MatchResult>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.result(i);
    return out;
  }

  *[Symbol.iterator](): Iterator<MatchResult> {
    for (let i = 0; i < this.size; i++) yield this.result(i);
  }

  /** As bestPerCompany(results.toArray()) (src/domain/match.ts), building only the winners. */
  bestPerCompany(): MatchResult[] {
    const { stamp, seen, best } = this.source.firmScratch();
    const { company, id } = this.columns;
    const { subs, scores } = this;
    const order: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const g = company[subs[i]];
      if (seen[g] !== stamp) {
        seen[g] = stamp;
        best[g] = i;
        order.push(g);
        continue;
      }
      const b = best[g];
      if (scores[i] > scores[b] || (scores[i] === scores[b] && id[subs[i]] < id[subs[b]])) best[g] = i;
    }
    return order.map((g) => this.result(best[g]));
  }
}
