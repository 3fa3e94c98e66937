// The measures of npm run eval:search, on answers worked out by hand.
import { expect } from 'chai';
import { ndcgAt, precisionAt, recallAt, score } from '../../scripts/eval/measures.ts';

describe('eval:search measures', () => {
  const relevant = new Set(['a', 'b', 'c']);

  it('nDCG@k: relevant hits discounted by rank, over the best order possible', () => {
    expect(ndcgAt(10, ['a', 'b', 'c'], relevant)).to.equal(1);
    // Hits at ranks 2 and 3 of three: (1/log2(3) + 1/log2(4)) / (1 + 1/log2(3) + 1/log2(4)).
    const expected = (1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3) + 0.5);
    expect(ndcgAt(10, ['x', 'a', 'b'], relevant)).to.be.closeTo(expected, 1e-12);
    expect(ndcgAt(10, ['x', 'y'], relevant)).to.equal(0);
    expect(ndcgAt(1, ['a'], relevant)).to.equal(1);
  });

  it('recall@k counts what a page of k can hold: min(k, relevant)', () => {
    expect(recallAt(100, ['a', 'x', 'c'], relevant)).to.be.closeTo(2 / 3, 1e-12);
    const many = new Set(Array.from({ length: 300 }, (_, i) => `r${i}`));
    expect(recallAt(100, [...many].slice(0, 100), many)).to.equal(1);
    expect(recallAt(100, [...many].slice(0, 50), many)).to.equal(0.5);
    expect(recallAt(100, [], new Set())).to.equal(0);
  });

  it('precision@k counts missing places as misses', () => {
    expect(precisionAt(10, ['a', 'b'], relevant)).to.equal(0.2);
    expect(precisionAt(2, ['a', 'x', 'b'], relevant)).to.equal(0.5);
  });

  it('score: the mean over queries, three decimals', () => {
    const judged = [{ query: 'q1', relevant }, { query: 'q2', relevant: new Set(['z']) }];
    const s = score(judged, new Map([['q1', ['a', 'b', 'c']], ['q2', ['x']]]));
    expect(s).to.deep.equal({ queries: 2, ndcgAt10: 0.5, recallAt100: 0.5, precisionAt10: 0.15 });
  });
});
