// An in-memory index of subscriptions by CPV code, so a notice is evaluated
// only against the subscriptions its codes can touch, never against all.
import { cpvParent, cpvPrefix } from '../domain/cpv.ts';
import { candidateCategories, evaluate, type MatchNotice, type MatchResult, type MatchSubscription } from '../domain/match.ts';

export class MatchIndex {
  /** Every subscription, by its number in the index; the maps below hold numbers. */
  private readonly subs: MatchSubscription[] = [];
  /** Subscription code → subscriptions (direct matches come from a notice code or its ancestors). */
  private readonly byCode = new Map<string, number[]>();
  /** Parent of a subscription code → subscriptions that also take one level up. */
  private readonly byParent = new Map<string, number[]>();
  /** Sorted distinct subscription codes: a prefix range finds codes below a broad notice code. */
  private sortedCodes: string[] | null = null;
  /**
   * Each search's number, stamped on the subscriptions it collects: a
   * subscription reached through several codes is taken once, without a Set
   * (hashing hundreds of thousands of objects) or touching the subscription.
   */
  private seen = new Uint32Array(1024);
  private search = 0;

  constructor(subscriptions: Iterable<MatchSubscription> = []) {
    for (const sub of subscriptions) this.add(sub);
  }

  get size(): number {
    return this.subs.length;
  }

  add(sub: MatchSubscription): void {
    const n = this.subs.push(sub) - 1;
    for (const code of new Set(sub.cpv)) {
      push(this.byCode, code, n);
      const parent = sub.includeParent ? cpvParent(code) : null;
      if (parent) push(this.byParent, parent, n);
    }
    this.sortedCodes = null;
  }

  /** Every subscription that could match the notice on CPV, each once. */
  candidates(notice: MatchNotice): MatchSubscription[] {
    return this.collect(notice).map((n) => this.subs[n]);
  }

  private collect(notice: MatchNotice): number[] {
    if (this.seen.length < this.subs.length) {
      const grown = new Uint32Array(Math.max(this.subs.length, 2 * this.seen.length));
      grown.set(this.seen);
      this.seen = grown;
    }
    const stamp = (this.search = (this.search + 1) >>> 0 || 1); // never 0, the initial value
    if (stamp === 1) this.seen.fill(0); // wrapped around: forget old stamps
    const seen = this.seen;
    const found: number[] = [];
    const add = (list: number[] | undefined) => {
      if (!list) return;
      for (const n of list) {
        if (seen[n] !== stamp) {
          seen[n] = stamp;
          found.push(n);
        }
      }
    };
    for (const code of candidateCategories(notice.codes)) {
      add(this.byCode.get(code));
      add(this.byParent.get(code));
    }
    // A notice coded broadly (45000000) concerns firms with finer categories below it.
    const codes = (this.sortedCodes ??= [...this.byCode.keys()].sort());
    for (const { code } of notice.codes) {
      const prefix = cpvPrefix(code);
      for (let i = lowerBound(codes, prefix); i < codes.length && codes[i].startsWith(prefix); i++) add(this.byCode.get(codes[i]));
    }
    return found;
  }

  match(notice: MatchNotice, today: string): { results: MatchResult[]; evaluated: number } {
    const candidates = this.collect(notice);
    const results: MatchResult[] = [];
    for (const n of candidates) {
      const result = evaluate(notice, this.subs[n], today);
      if (result) results.push(result);
    }
    return { results, evaluated: candidates.length };
  }
}

/** The reference the index must agree with: every subscription, every rule. */
export function matchBruteForce(subscriptions: Iterable<MatchSubscription>, notice: MatchNotice, today: string): MatchResult[] {
  const results: MatchResult[] = [];
  for (const sub of subscriptions) {
    const result = evaluate(notice, sub, today);
    if (result) results.push(result);
  }
  return results;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
