// The column layout. A subscription is a number and a few integers in typed
// arrays, not an object. Subscriptions are numbered bucket by bucket (buckets
// in code order, so a broadly coded notice reads one stretch of memory), each
// bucket's own in three runs: plain (no filter beyond CPV), filtered, and
// those with further categories (their best hit over all their buckets wins,
// as in bestCpvHit). A subscription with several categories is decided once:
// in its first category's bucket when the notice touches it, else in the
// first touched of the others, which carry a copy of what is needed (no
// per-search state per subscription, no random access).
import type { MatchSubscription } from '../../domain/match.ts';
import type { Buckets } from './buckets.ts';
import type { Filters } from './filters.ts';
import type { Firms } from './firms.ts';
import { IntList } from './typed-lists.ts';

/** Leading digits a further category shares with the first: 0 to 8. */
export const SHARED_LEVELS = 9;

/** More categories than this in one subscription do not fit the match loop's rank key. */
export const POSITION_SPAN = 2 ** 16;

/**
 * Subscriptions in columns. `hot[2s]` is the firm's capability profile,
 * `hot[2s + 1]` the filter combination << 1 | strict. `cats` lists each
 * subscription's buckets (distinct, in the order of its categories).
 */
export type Columns = {
  n: number;
  id: string[];
  /** The firm, by firm number. */
  company: Int32Array;
  hot: Int32Array;
  catStart: Int32Array;
  cats: Int32Array;
};

/** The columns in bucket order, and where each bucket's subscriptions are. */
export type Layout = Columns & {
  /** By bucket: its own subscriptions are start…plainEnd (plain), …singleEnd (filtered), …end (more categories). */
  start: Int32Array;
  plainEnd: Int32Array;
  singleEnd: Int32Array;
  end: Int32Array;
  /**
   * By bucket, a stream of records for the subscriptions whose further
   * category it is: [s, position of the category, hot[2s], hot[2s + 1],
   * number of categories, …their buckets], so they are read in sequence.
   * Each bucket's records come in SHARED_LEVELS groups, by how many leading
   * digits the category shares with the subscription's first, most first:
   * `extraStart[b * SHARED_LEVELS + 8 - shared]` is where a group starts.
   */
  extraStart: Int32Array;
  extras: Int32Array;
  /** Distinct category codes, sorted (a prefix is a range), with their buckets [without, with includeParent], -1 where none. */
  sortedCodes: string[];
  codeBuckets: Int32Array;
};

/** Reads subscriptions into columns (in the given order), interning their firms, filters and buckets. */
export function readColumns(subs: MatchSubscription[], firms: Firms, filters: Filters, buckets: Buckets): Columns {
  const n = subs.length;
  const cols: Columns = { n, id: new Array<string>(n), company: new Int32Array(n), hot: new Int32Array(2 * n), catStart: new Int32Array(n + 1), cats: new Int32Array(0) };
  const cats = new IntList();
  for (let i = 0; i < n; i++) {
    const sub = subs[i];
    cols.id[i] = sub.id;
    const firm = firms.number(sub.company);
    cols.company[i] = firm;
    cols.hot[2 * i] = firms.profileOf(sub.company, firm);
    cols.hot[2 * i + 1] = (filters.id(sub) << 1) | (sub.strict ? 1 : 0);
    const from = cats.length;
    for (const code of sub.cpv) {
      const b = buckets.id(code, !!sub.includeParent);
      let dup = false;
      for (let k = from; k < cats.length; k++) if (cats.data[k] === b) dup = true;
      if (!dup) cats.push(b);
    }
    if (cats.length - from >= POSITION_SPAN) throw new RangeError(`subscription ${sub.id}: more than ${POSITION_SPAN - 1} categories`);
    cols.catStart[i + 1] = cats.length;
  }
  if (filters.size >= 2 ** 30 || firms.capabilityCount >= 2 ** 26 || firms.untilCount >= 2 ** 26) {
    throw new RangeError('too many filters or capabilities');
  }
  cols.cats = cats.data.slice(0, cats.length);
  firms.endBatch();
  return cols;
}

/** Lays every subscription out again: those of the parts (the current layout, a new batch), in bucket order. */
export function buildLayout(parts: (Columns | null)[], buckets: Buckets): Layout {
  const cols = parts.filter((p): p is Columns => p !== null && p.n > 0);
  const n = cols.reduce((sum, p) => sum + p.n, 0);
  const bucketCount = buckets.count;

  // Buckets in code order (without includeParent first): a prefix is one stretch of subscriptions.
  const sortedCodes = buckets.codes().sort();
  const codeBuckets = new Int32Array(2 * sortedCodes.length).fill(-1);
  const rankOf = new Int32Array(bucketCount);
  let rank = 0;
  for (let k = 0; k < sortedCodes.length; k++) {
    for (const parent of [0, 1]) {
      const b = buckets.find(sortedCodes[k], parent === 1);
      if (b === undefined) continue;
      codeBuckets[2 * k + parent] = b;
      rankOf[b] = rank++;
    }
  }

  // Sort key: home bucket (the first category), then plain / filtered / more categories. No category: last.
  const keyOf = (p: Columns, i: number): number => {
    const from = p.catStart[i];
    const to = p.catStart[i + 1];
    if (from === to) return 3 * bucketCount;
    const run = to - from > 1 ? 2 : p.hot[2 * i + 1] !== 0 ? 1 : 0;
    return 3 * rankOf[p.cats[from]] + run;
  };
  const offsets = new Int32Array(3 * bucketCount + 2);
  for (const p of cols) for (let i = 0; i < p.n; i++) offsets[keyOf(p, i) + 1]++;
  for (let k = 1; k < offsets.length; k++) offsets[k] += offsets[k - 1];
  const runStart = offsets.slice();

  const L: Layout = {
    n,
    id: new Array<string>(n),
    company: new Int32Array(n),
    hot: new Int32Array(2 * n),
    catStart: new Int32Array(n + 1),
    cats: new Int32Array(cols.reduce((sum, p) => sum + p.cats.length, 0)),
    start: new Int32Array(bucketCount),
    plainEnd: new Int32Array(bucketCount),
    singleEnd: new Int32Array(bucketCount),
    end: new Int32Array(bucketCount),
    extraStart: new Int32Array(bucketCount * SHARED_LEVELS + 1),
    extras: new Int32Array(0),
    sortedCodes,
    codeBuckets,
  };
  // Place each subscription, then copy the categories in the new order.
  const source = new Int32Array(n);
  const sourcePart = new Uint8Array(n);
  cols.forEach((p, part) => {
    for (let i = 0; i < p.n; i++) {
      const s = offsets[keyOf(p, i)]++;
      source[s] = i;
      sourcePart[s] = part;
      L.id[s] = p.id[i];
      L.company[s] = p.company[i];
      L.hot[2 * s] = p.hot[2 * i];
      L.hot[2 * s + 1] = p.hot[2 * i + 1];
    }
  });
  const extraCount = new Int32Array(bucketCount * SHARED_LEVELS + 1);
  const group = (bucket: number, first: number) => bucket * SHARED_LEVELS + 8 - shared(buckets.code[bucket], buckets.code[first]);
  let c = 0;
  for (let s = 0; s < n; s++) {
    const p = cols[sourcePart[s]];
    const i = source[s];
    for (let k = p.catStart[i]; k < p.catStart[i + 1]; k++) {
      L.cats[c++] = p.cats[k];
      // A record in the stream of each further category: 5 + the number of categories.
      if (k > p.catStart[i]) extraCount[group(p.cats[k], p.cats[p.catStart[i]]) + 1] += 5 + p.catStart[i + 1] - p.catStart[i];
    }
    L.catStart[s + 1] = c;
  }
  for (let b = 0; b < bucketCount; b++) {
    const r = rankOf[b];
    L.start[b] = runStart[3 * r];
    L.plainEnd[b] = runStart[3 * r + 1];
    L.singleEnd[b] = runStart[3 * r + 2];
    L.end[b] = runStart[3 * r + 3];
  }
  for (let g = 0; g < bucketCount * SHARED_LEVELS; g++) L.extraStart[g + 1] = L.extraStart[g] + extraCount[g + 1];
  L.extras = new Int32Array(L.extraStart[bucketCount * SHARED_LEVELS]);
  const fill = L.extraStart.slice();
  for (let s = 0; s < n; s++) {
    const from = L.catStart[s];
    const to = L.catStart[s + 1];
    for (let k = from + 1; k < to; k++) {
      const g = group(L.cats[k], L.cats[from]);
      let e = fill[g];
      L.extras[e++] = s;
      L.extras[e++] = k - from;
      L.extras[e++] = L.hot[2 * s];
      L.extras[e++] = L.hot[2 * s + 1];
      L.extras[e++] = to - from;
      for (let j = from; j < to; j++) L.extras[e++] = L.cats[j];
      fill[g] = e;
    }
  }
  return L;
}

/** How many leading characters two codes share, at most 8. */
function shared(a: string, b: string): number {
  let n = 0;
  while (n < 8 && n < a.length && a[n] === b[n]) n++;
  return n;
}
