// The co-occurrence weighting of src/domain/cooccurrence.ts, on a fixture small enough to count by hand.
import { expect } from 'chai';
import { cooccurrence } from '../../src/domain/cooccurrence.ts';

describe('co-occurrence over award history', () => {
  // Ten firms. Cleaning (909) goes with window cleaning (9091) at 3 firms of 3;
  // construction (452) is won by all ten, so it co-occurs with cleaning at every cleaning firm too.
  const firms = [
    ['909', '9091', '452'], ['909', '9091', '452'], ['909', '9091', '452'],
    ['452'], ['452'], ['452'], ['452'], ['452'], ['452'], ['452', '331'],
  ];
  const w = cooccurrence(firms, 3);

  it('weighs a pair by Jaccard with shrinkage, counted by hand', () => {
    // 909 & 9091: both at 3 firms, each at 3: 3 / (3 + 3 − 3 + 3) = 0.5
    expect(w.get('909')!.get('9091')).to.equal(0.5);
    // 909 & 452: both at 3 firms, 909 at 3, 452 at 10: 3 / (3 + 10 − 3 + 3) = 3/13
    expect(w.get('909')!.get('452')).to.be.closeTo(3 / 13, 1e-12);
  });

  it('a huge division does not dominate: the specific companion outweighs it although both co-occur at every cleaning firm', () => {
    expect(w.get('909')!.get('9091')!).to.be.greaterThan(w.get('909')!.get('452')!);
  });

  it('a pair seen once stays weak, and nothing is related to itself', () => {
    // 331 & 452: once; 1 / (1 + 10 − 1 + 3) = 1/13
    expect(w.get('331')!.get('452')).to.be.closeTo(1 / 13, 1e-12);
    expect(w.get('909')!.has('909')).to.equal(false);
  });
});
