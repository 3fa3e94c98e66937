// A bucket is one category code, with or without includeParent: how a notice
// meets a bucket (the CPV hit: kind, distance, score, reason) is the same for
// every subscription in it, so it is worked out once per bucket and notice.
import { cpvParent, cpvPrefix } from '../../domain/cpv.ts';
import { candidateCategories, type MatchNotice } from '../../domain/match.ts';
import { grow } from './typed-lists.ts';

export class Buckets {
  /** By bucket: its category code, and whether it includes the parent. */
  readonly code: string[] = [];
  readonly includeParent: boolean[] = [];
  private readonly ids = [new Map<string, number>(), new Map<string, number>()];
  /** Category code → its buckets; parent of a category → the includeParent buckets below it. */
  private readonly byCode = new Map<string, number[]>();
  private readonly byParent = new Map<string, number[]>();

  /** By bucket: touched by the current notice where it holds the search's stamp. */
  stamp = new Uint32Array(0);
  /** The buckets the current notice touches (the first `touch()` of them). */
  touched = new Int32Array(1024);

  get count(): number {
    return this.code.length;
  }

  /** The bucket of a category, made on first sight. */
  id(code: string, includeParent: boolean): number {
    const ids = this.ids[includeParent ? 1 : 0];
    let b = ids.get(code);
    if (b !== undefined) return b;
    b = this.code.push(code) - 1;
    this.includeParent.push(includeParent);
    ids.set(code, b);
    push(this.byCode, code, b);
    const parent = includeParent ? cpvParent(code) : null;
    if (parent) push(this.byParent, parent, b);
    return b;
  }

  /** The bucket of a category if there is one. */
  find(code: string, includeParent: boolean): number | undefined {
    return this.ids[includeParent ? 1 : 0].get(code);
  }

  /** The distinct category codes. */
  codes(): string[] {
    return [...this.byCode.keys()];
  }

  /** Sizes the per-search array to the buckets held. */
  fit(): void {
    this.stamp = grow(this.stamp, this.code.length);
  }

  /** Forgets every stamp (the stamp counter wrapped around). */
  forget(): void {
    this.stamp.fill(0);
  }

  /**
   * The buckets a notice's codes can touch, each once, into `touched`; returns
   * how many. `sortedCodes` are the category codes in order (a prefix is a
   * range), `codeBuckets` their buckets [without, with includeParent], -1 where none.
   */
  touch(notice: MatchNotice, stamp: number, sortedCodes: string[], codeBuckets: Int32Array): number {
    const seen = this.stamp;
    let count = 0;
    const add = (list: number[] | undefined) => {
      if (!list) return;
      for (const b of list) {
        if (seen[b] === stamp) continue;
        seen[b] = stamp;
        if (count === this.touched.length) this.touched = grow(this.touched, count + 1);
        this.touched[count++] = b;
      }
    };
    // Categories at or above a notice code (direct), and includeParent categories one level below those.
    for (const code of candidateCategories(notice.codes)) {
      add(this.byCode.get(code));
      add(this.byParent.get(code));
    }
    // A notice coded broadly (45000000) concerns firms with finer categories below it.
    for (const { code } of notice.codes) {
      const prefix = cpvPrefix(code);
      for (let k = lowerBound(sortedCodes, prefix); k < sortedCodes.length && sortedCodes[k].startsWith(prefix); k++) {
        for (let j = 2 * k; j < 2 * k + 2; j++) {
          const b = codeBuckets[j];
          if (b < 0 || seen[b] === stamp) continue;
          seen[b] = stamp;
          if (count === this.touched.length) this.touched = grow(this.touched, count + 1);
          this.touched[count++] = b;
        }
      }
    }
    return count;
  }
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
