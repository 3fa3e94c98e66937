// Co-occurrence over award history: which things go together in the same
// firms' wins (CPV groups a firm wins in; buyers it wins from). Weighted by
// Jaccard with shrinkage, n(a∧b) / (n(a) + n(b) − n(a∧b) + k): a huge
// division that nearly every firm wins in has a large n(b) and so a small
// weight beside any one category, and a pair seen once or twice stays weak.

/** Sets of more items than this (a national wholesaler's hundreds of buyers) say little about any pair, and cost their square. */
export const MAX_SET_SIZE = 100;

/** Each item → the items co-occurring with it (never itself) and their weight in (0, 1). */
export function cooccurrence<T>(sets: Iterable<Iterable<T>>, shrinkage = 3): Map<T, Map<T, number>> {
  const single = new Map<T, number>();
  const pairs = new Map<T, Map<T, number>>();
  for (const set of sets) {
    const items = [...new Set(set)];
    if (items.length > MAX_SET_SIZE) continue;
    for (const a of items) {
      single.set(a, (single.get(a) ?? 0) + 1);
      let row = pairs.get(a);
      for (const b of items) {
        if (a === b) continue;
        if (!row) pairs.set(a, (row = new Map()));
        row.set(b, (row.get(b) ?? 0) + 1);
      }
    }
  }
  const weights = new Map<T, Map<T, number>>();
  for (const [a, row] of pairs) {
    const out = new Map<T, number>();
    for (const [b, both] of row) out.set(b, both / (single.get(a)! + single.get(b)! - both + shrinkage));
    weights.set(a, out);
  }
  return weights;
}
