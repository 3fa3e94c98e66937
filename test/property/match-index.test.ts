// Property test: the index must return exactly what evaluating every
// subscription returns, for random subscriptions and notices.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { normalizeCpv } from '../../src/domain/cpv.ts';
import { bestCpvHit, bestPerCompany, cpvReason, evaluate, type MatchNotice, type MatchResult, type MatchSubscription } from '../../src/domain/match.ts';
import { MatchIndex, matchBruteForce, type MatchResults } from '../../src/matching/match-index.ts';
import { LiveMatchIndex } from '../../src/matching/live-match-index.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { BUILT_IN_CPV, byId, generate, generatePlain, Random, TODAY, VALID_UNTIL } from './match-data.ts';

/** Field by field: much faster than a deep equal over hundreds of thousands of results. */
function sameResults(a: MatchResult[], b: MatchResult[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.subscriptionId !== y.subscriptionId || x.companyId !== y.companyId || x.score !== y.score) return false;
    if (x.missing.join() !== y.missing.join() || x.reasons.length !== y.reasons.length) return false;
    for (let j = 0; j < x.reasons.length; j++) {
      const r = x.reasons[j];
      const s = y.reasons[j];
      if (r.code !== s.code || r.sv !== s.sv || r.en !== s.en) return false;
    }
  }
  return true;
}

const byCompany = (a: MatchResult, b: MatchResult) => (a.companyId < b.companyId ? -1 : a.companyId > b.companyId ? 1 : 0);

const isPlain = (s: MatchSubscription) =>
  !s.keywords && !s.regions.length && s.minValue === null && s.maxValue === null && !s.kinds.length && !s.procedures.length && !s.onlyCsr && !s.strict;
const asksProfile = (n: MatchNotice) => {
  const c = n.criteria;
  return c.reserved.length + c.requirements.length + c.strategic.length + c.social.length + c.green.length > 0;
};

/**
 * Asserts index and brute force agree on every notice: every result (materialised,
 * with reasons), each firm's best, and the compact accessors. Returns what was
 * seen, so the test cannot pass vacuously.
 */
function checkAgreement(
  subscriptions: MatchSubscription[],
  notices: MatchNotice[],
  todayOf: (n: MatchNotice) => string = () => TODAY,
  index: { match(notice: MatchNotice, today: string): { results: MatchResults; evaluated: number } } = new MatchIndex(subscriptions),
) {
  const byIdMap = new Map(subscriptions.map((s) => [s.id, s]));
  const seen = {
    results: 0, evaluated: 0, reasons: new Set<string>(),
    /** Results of plain single-category subscriptions, on notices that ask the firm's profile or not. */
    plainWithProfile: 0, plainWithoutProfile: 0,
    /** Results of subscriptions with several categories. */
    multi: 0,
    /** Strict subscriptions kept, and dropped for a missing requirement. */
    strictKept: 0, strictDropped: 0,
    /** Firms left out of a reserved procurement; results missing a requirement an expired certificate would meet. */
    notEligible: 0, expired: 0,
  };
  for (const notice of notices) {
    const today = todayOf(notice);
    const { results: compact, evaluated } = index.match(notice, today);
    const results = compact.toArray();
    const expected = matchBruteForce(subscriptions, notice, today).sort(byId);
    const actual = [...results].sort(byId);
    // chai's diff only when they differ.
    if (!sameResults(actual, expected)) {
      expect(actual, `notice ${notice.id}: ${JSON.stringify(notice.codes)}`).to.deep.equal(expected);
    }
    const best = compact.bestPerCompany().sort(byCompany);
    const expectedBest = bestPerCompany(expected).sort(byCompany);
    if (!sameResults(best, expectedBest)) expect(best, `best per firm, notice ${notice.id}`).to.deep.equal(expectedBest);
    expect(compact.size).to.equal(results.length);
    for (let i = 0; i < compact.size; i += 7) {
      expect([compact.subscriptionId(i), compact.companyId(i), compact.score(i)]).to.deep.equal([results[i].subscriptionId, results[i].companyId, results[i].score]);
    }
    expect(evaluated).to.be.at.most(subscriptions.length);
    seen.results += results.length;
    seen.evaluated += evaluated;
    const matched = new Set(results.map((r) => r.subscriptionId));
    for (const result of results) {
      for (const reason of result.reasons) seen.reasons.add(reason.code);
      const sub = byIdMap.get(result.subscriptionId)!;
      if (new Set(sub.cpv).size > 1) seen.multi++;
      else if (isPlain(sub)) {
        if (asksProfile(notice)) seen.plainWithProfile++;
        else seen.plainWithoutProfile++;
      }
      if (sub.strict) seen.strictKept++;
      const lapsed = sub.company.capabilities.filter((c) => c.validUntil !== null && c.validUntil < today).map((c) => c.capability);
      if (result.missing.some((m) => lapsed.includes(m) || (m === 'iso-14001' && lapsed.includes('emas')))) seen.expired++;
    }
    for (const sub of subscriptions) {
      if (!sub.strict && !notice.criteria.reserved.includes('res-ws')) continue;
      if (matched.has(sub.id) || !evaluate(notice, { ...sub, strict: false, company: { ...sub.company, capabilities: [...sub.company.capabilities, { capability: 'wise', validUntil: null }] } }, today)) continue;
      if (sub.strict && evaluate(notice, { ...sub, strict: false }, today)) seen.strictDropped++;
      else if (notice.criteria.reserved.includes('res-ws')) seen.notEligible++;
    }
    // Both sides share the rules' caches; check the CPV reason against a fresh computation too.
    for (const result of results.slice(0, 5)) {
      const sub = byIdMap.get(result.subscriptionId)!;
      expect(result.reasons[0]).to.deep.equal(cpvReason(bestCpvHit(notice.codes, sub.cpv, sub.includeParent)!));
    }
  }
  return seen;
}

const ALL_REASONS = ['cpv', 'cpv-parent', 'cpv-broad', 'keywords', 'reserved-eligible', 'requirement-met', 'requirement-missing', 'objective-met'];

describe('MatchIndex', () => {
  describe('agrees with matchBruteForce (property test)', () => {
    for (const seed of [1, 2, 3, 20261127]) {
      it(`seed ${seed}: 3,000 subscriptions × 500 notices over built-in CPV codes`, () => {
        const { subscriptions, notices } = generate(seed, BUILT_IN_CPV, 3000, 500);
        const seen = checkAgreement(subscriptions, notices);
        expect(seen.results).to.be.greaterThan(1000);
        expect([...seen.reasons].sort()).to.deep.equal([...ALL_REASONS].sort());
        // The index must narrow the search, not evaluate everything.
        expect(seen.evaluated).to.be.lessThan(notices.length * subscriptions.length * 0.5);
      });
    }

    it('seed 7: 3,000 subscriptions × 500 notices over the whole CPV 2008 list', function () {
      const path = requireSharedData(this, 'cpv', 'cpv_2008_sv_en.csv');
      const codes = (parse(readFileSync(path), { columns: true }) as { code: string }[]).map((row) => row.code);
      // Fewer divisions keep overlaps frequent; every level and the skipped-level codes stay in.
      const pool = codes.filter((code) => ['30', '45', '55', '72', '90'].includes(code.slice(0, 2)));
      const { subscriptions, notices } = generate(7, pool, 3000, 500);
      const seen = checkAgreement(subscriptions, notices);
      expect(seen.results).to.be.greaterThan(200);
    });

    for (const seed of [11, 12, 13]) {
      it(`seed ${seed}: fast paths — plain subscriptions, lapsing certificates, reserved, strict, changing days`, () => {
        const { subscriptions, notices } = generatePlain(seed, BUILT_IN_CPV, 3000, 400);
        // Certificates lapse between these days (VALID_UNTIL has yesterday, today and tomorrow): one index, several days.
        const days = ['2026-11-26', TODAY, '2026-11-28', '2030-01-01'];
        const seen = checkAgreement(subscriptions, notices, (n) => days[Number(n.id.slice(1)) % days.length]);
        expect(seen.plainWithoutProfile).to.be.greaterThan(1000);
        expect(seen.plainWithProfile).to.be.greaterThan(1000);
        expect(seen.multi).to.be.greaterThan(1000);
        expect(seen.strictKept).to.be.greaterThan(100);
        expect(seen.strictDropped).to.be.greaterThan(20);
        expect(seen.notEligible).to.be.greaterThan(100);
        expect(seen.expired).to.be.greaterThan(20);
        for (const code of ['cpv', 'cpv-parent', 'cpv-broad', 'reserved-eligible', 'requirement-met', 'requirement-missing', 'objective-met']) expect(seen.reasons).to.include(code);
      });
    }

    it('seed 21: firms and notices with many capabilities of their own (past the bit masks)', () => {
      // Requirement codes outside the taxonomy are met by a capability of the same name: 40 of them.
      const own = Array.from({ length: 40 }, (_, i) => `own-${i}`);
      const r = new Random(21);
      const { subscriptions, notices } = generatePlain(21, BUILT_IN_CPV, 1500, 200);
      for (const sub of subscriptions) sub.company.capabilities.push(...r.some(own, 12).map((capability) => ({ capability, validUntil: r.pick(VALID_UNTIL) })));
      for (const notice of notices) {
        if (r.chance(0.5)) notice.criteria = { ...notice.criteria, requirements: r.chance(0.5) ? r.some(own, 12) : own.slice(r.int(0, 9)) };
      }
      const seen = checkAgreement(subscriptions, notices);
      expect(seen.reasons).to.include('requirement-met');
      expect(seen.strictKept).to.be.greaterThan(0);
    });

    for (const seed of [31, 32, 33]) {
      it(`seed ${seed}: after random inserts, edits, deletes and firms' profile changes applied incrementally (LiveMatchIndex)`, () => {
        // Built from half the subscriptions; the other half is the pool of inserts and of new rules for edits.
        const { subscriptions: all, notices } = generate(seed, BUILT_IN_CPV, 4000, 300);
        const r = new Random(seed);
        const current = new Map(all.slice(0, 2000).map((s) => [s.id, s]));
        const spare = all.slice(2000);
        const index = new LiveMatchIndex(current.values());
        const counts = { inserts: 0, edits: 0, deletes: 0, profiles: 0 };
        for (let round = 0; round < 6; round++) {
          for (let step = 0; step < 150; step++) {
            const ids = [...current.keys()];
            const action = r.int(0, 9);
            if (action < 3 && spare.length) {
              const sub = spare.pop()!;
              current.set(sub.id, sub);
              index.put(sub);
              counts.inserts++;
            } else if (action < 6) {
              // An edit: another rule (categories, filters, firm) under the same id.
              const id = r.pick(ids);
              const sub = { ...r.pick(all), id };
              current.set(id, sub);
              index.put(sub);
              counts.edits++;
            } else if (action < 9) {
              const id = r.pick(ids);
              current.delete(id);
              index.remove(id);
              counts.deletes++;
            } else {
              // A firm's profile: every subscription of the firm again, with the new capabilities.
              const firm = r.pick(ids);
              const old = current.get(firm)!.company;
              const company = { ...old, capabilities: r.some(['svanen', 'iso-14001', 'wise', 'collective-agreement'], 3).map((capability) => ({ capability, validUntil: null })) };
              for (const sub of current.values()) {
                if (sub.company.id !== old.id) continue;
                const moved = { ...sub, company };
                current.set(sub.id, moved);
                index.put(moved);
              }
              counts.profiles++;
            }
            // Sometimes laid out now, sometimes at the next match.
            if (r.chance(0.5)) index.settle();
          }
          const seen = checkAgreement([...current.values()], notices.slice(round * 50, round * 50 + 50), () => TODAY, index);
          expect(seen.results).to.be.greaterThan(100);
        }
        expect(index.changes).to.be.greaterThan(500);
        for (const count of Object.values(counts)) expect(count).to.be.greaterThan(20);
      });
    }

    it('the built-in codes are real CPV 2008 codes', function () {
      for (const code of BUILT_IN_CPV) expect(normalizeCpv(code)).to.equal(code);
      const path = requireSharedData(this, 'cpv', 'cpv_2008_sv_en.csv');
      const published = new Set((parse(readFileSync(path), { columns: true }) as { code: string }[]).map((row) => row.code));
      expect(BUILT_IN_CPV.filter((code) => !published.has(code))).to.deep.equal([]);
    });
  });
});
