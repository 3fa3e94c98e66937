// The match index narrows the search: a notice is evaluated only against the
// subscriptions its codes can touch. (Agreement with matchBruteForce over
// random data is the property test, test/property/match-index.test.ts.)
import { expect } from 'chai';
import type { MatchNotice, MatchSubscription } from '../../src/domain/match.ts';
import { MatchIndex, matchBruteForce } from '../../src/matching/match-index.ts';
import { BUILT_IN_CPV, byId, generate, Random, randomNotice, TODAY } from '../property/match-data.ts';

describe('MatchIndex', () => {
  describe('evaluates only the subscriptions a notice can touch', () => {
    let subscriptions: MatchSubscription[];
    let index: MatchIndex;
    before(() => {
      subscriptions = generate(42, BUILT_IN_CPV, 3000, 0).subscriptions;
      index = new MatchIndex(subscriptions);
    });
    const base = randomNotice(new Random(42), 'n', BUILT_IN_CPV);
    const noticeWith = (codes: string[]): MatchNotice => ({ ...base, codes: codes.map((code, i) => ({ code, lotId: null, isMain: i === 0 })) });

    it('a snow-clearing notice', () => {
      const { evaluated } = index.match(noticeWith(['90620000']), TODAY);
      expect(evaluated).to.be.greaterThan(0).and.lessThan(index.size / 10);
    });

    it('a school-building notice with a catering lot', () => {
      const { evaluated } = index.match(noticeWith(['45214200', '55520000']), TODAY);
      expect(evaluated).to.be.greaterThan(0).and.lessThan(index.size / 5);
    });

    it('a broadly coded notice reaches the whole division, and only it', () => {
      const { evaluated } = index.match(noticeWith(['45000000']), TODAY);
      const inDivision = subscriptions.filter((s) => s.cpv.some((c) => c.startsWith('45'))).length;
      expect(evaluated).to.equal(inDivision);
      expect(evaluated).to.be.lessThan(index.size);
    });

    it('a notice in a division nobody registered evaluates nothing', () => {
      expect(index.match(noticeWith(['03000000']), TODAY).evaluated).to.equal(0);
    });

    it('a subscription with several categories explains by its best one; on a tie, the first (as bestCpvHit)', () => {
      const firm = { id: 'c-tie', municipalityCode: '1441', capabilities: [] };
      const plain = { company: firm, includeParent: true, keywords: null, regions: [], minValue: null, maxValue: null, kinds: [], procedures: [], onlyCsr: false, strict: false };
      const subs: MatchSubscription[] = [
        // Siblings under 90600000: a notice coded 90610000 is one level above both (cpv-parent, a tie).
        { ...plain, id: 'a', cpv: ['90620000', '90630000'] },
        { ...plain, id: 'b', cpv: ['90630000', '90620000'] },
        // The first category is not touched at all: decided at the first touched one.
        { ...plain, id: 'c', cpv: ['45214200', '90630000', '90620000'] },
        // A direct hit beats the parent hit whatever the order.
        { ...plain, id: 'd', cpv: ['90630000', '90610000'] },
      ];
      const tie = new MatchIndex(subs);
      const open = { ...base, codes: [{ code: '90610000', lotId: null, isMain: true }], criteria: { ...base.criteria, reserved: [], requirements: [] } };
      const { results, evaluated } = tie.match(open, TODAY);
      expect(evaluated).to.equal(4);
      const category = Object.fromEntries(results.toArray().map((r) => [r.subscriptionId, r.reasons[0].en.match(/category (\d{8})/)?.[1] ?? r.reasons[0].en.match(/^(\d{8})/)![1]]));
      expect(category).to.deep.equal({ a: '90620000', b: '90630000', c: '90630000', d: '90610000' });
      expect(results.toArray().sort(byId)).to.deep.equal(matchBruteForce(subs, open, TODAY).sort(byId));
      expect(results.bestPerCompany()).to.have.length(1);
      expect(results.bestPerCompany()[0].subscriptionId).to.equal('d');
    });

    it('subscriptions added after a search are found by the next one', () => {
      const late = new MatchIndex(subscriptions.slice(0, 10));
      late.match(noticeWith(['45000000']), TODAY);
      const firm = { ...subscriptions[0], id: 'late', cpv: ['45214210'], includeParent: false, keywords: null, regions: [], minValue: null, maxValue: null, kinds: [], procedures: [], onlyCsr: false, strict: false };
      const added = [...subscriptions.slice(10, 2010), firm]; // past the first size of the stamp array
      for (const sub of added) late.add(sub);
      const open = { ...noticeWith(['45000000']), criteria: { ...base.criteria, reserved: [], requirements: [] } };
      const results = late.match(open, TODAY).results.toArray();
      expect(results.map((r) => r.subscriptionId)).to.include('late');
      const expected = matchBruteForce([...subscriptions.slice(0, 10), ...added], open, TODAY);
      expect(results.map((r) => r.subscriptionId).sort()).to.deep.equal(expected.map((r) => r.subscriptionId).sort());
    });
  });
});
