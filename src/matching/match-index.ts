// An in-memory index of subscriptions by CPV code, so a notice is evaluated
// only against the subscriptions its codes can touch, never against all.
import { cpvParent, cpvPrefix } from '../domain/cpv.ts';
import { candidateCategories, evaluate, type MatchNotice, type MatchResult, type MatchSubscription } from '../domain/match.ts';

export class MatchIndex {
  /** Subscription code → subscriptions (direct matches come from a notice code or its ancestors). */
  private readonly byCode = new Map<string, MatchSubscription[]>();
  /** Parent of a subscription code → subscriptions that also take one level up. */
  private readonly byParent = new Map<string, MatchSubscription[]>();
  /** Sorted distinct subscription codes: a prefix range finds codes below a broad notice code. */
  private sortedCodes: string[] | null = null;
  size = 0;

  constructor(subscriptions: Iterable<MatchSubscription> = []) {
    for (const sub of subscriptions) this.add(sub);
  }

  add(sub: MatchSubscription): void {
    for (const code of new Set(sub.cpv)) {
      push(this.byCode, code, sub);
      const parent = sub.includeParent ? cpvParent(code) : null;
      if (parent) push(this.byParent, parent, sub);
    }
    this.sortedCodes = null;
    this.size++;
  }

  /** Every subscription that could match the notice on CPV, each once. */
  candidates(notice: MatchNotice): MatchSubscription[] {
    return [...this.candidateSet(notice)];
  }

  private candidateSet(notice: MatchNotice): Set<MatchSubscription> {
    const found = new Set<MatchSubscription>();
    const add = (subs: MatchSubscription[] | undefined) => {
      if (subs) for (const s of subs) found.add(s);
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
    const candidates = this.candidateSet(notice);
    const results: MatchResult[] = [];
    for (const sub of candidates) {
      const result = evaluate(notice, sub, today);
      if (result) results.push(result);
    }
    return { results, evaluated: candidates.size };
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
