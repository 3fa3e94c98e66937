// Measures of a ranked answer against judged relevant notices (test/relevance/,
// npm run eval:search). Binary judgments: a notice is relevant or not.

/** nDCG@k: gain 1 per relevant hit, discounted by log2 of its rank + 1, over the best order possible. */
export function ndcgAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/**
 * Recall@k of the relevant notices a page of k can hold: found among the
 * first k over min(k, relevant). A query with 500 relevant notices is fully
 * answered by 100 relevant ones in its first 100.
 */
export function recallAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / Math.min(k, relevant.size);
}

/** Precision@k: the share of the first k that are relevant (a shorter answer counts its missing places as misses). */
export function precisionAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / k;
}

export type Judged = { query: string; relevant: ReadonlySet<string> };
export type Scores = { queries: number; ndcgAt10: number; recallAt100: number; precisionAt10: number };

/** The mean of each measure over the queries, rounded to three decimals. */
export function score(judged: readonly Judged[], answers: ReadonlyMap<string, readonly string[]>): Scores {
  const mean = (f: (j: Judged, ranked: readonly string[]) => number) =>
    Math.round((judged.reduce((sum, j) => sum + f(j, answers.get(j.query) ?? []), 0) / Math.max(1, judged.length)) * 1000) / 1000;
  return {
    queries: judged.length,
    ndcgAt10: mean((j, r) => ndcgAt(10, r, j.relevant)),
    recallAt100: mean((j, r) => recallAt(100, r, j.relevant)),
    precisionAt10: mean((j, r) => precisionAt(10, r, j.relevant)),
  };
}
