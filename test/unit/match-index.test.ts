// Property test: the index must return exactly what evaluating every
// subscription returns, for random subscriptions and notices.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { CAPABILITIES, EFORMS_CRITERIA, REQUIREMENTS, type HeldCapability } from '../../src/domain/csr.ts';
import { normalizeCpv } from '../../src/domain/cpv.ts';
import { parseKeywords, Words } from '../../src/domain/keywords.ts';
import { bestCpvHit, bestPerCompany, cpvReason, evaluate, type MatchCompany, type MatchNotice, type MatchResult, type MatchSubscription, type NoticeCode } from '../../src/domain/match.ts';
import { MatchIndex, matchBruteForce } from '../../src/matching/match-index.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { mulberry32 } from '../helpers/random.ts';

const TODAY = '2026-11-27';

/** Real CPV 2008 codes at every level, whole chains from division down, in the divisions local firms register most. */
const BUILT_IN_CPV = `
  15000000 15500000 15510000 15511000 15511100 15511600 15512000 15512300 15800000 15810000 15811000 15811200 15812000
  15812100 15812200 33000000 33100000 33140000 33141000 33141300 33141320 33141329 33141500 33141600 33141620 33141626
  33141640 33141642 33600000 33610000 33611000 33614000 33616000 34000000 34100000 34110000 34113000 34113100 34114000
  34114100 34114110 34114120 34114122 34114300 34140000 34142000 34142100 34144000 34144200 34144210 34144500 34144520
  34144700 34144750 34400000 34410000 34411000 34411100 34411110 45000000 45200000 45210000 45212000 45212300 45213000
  45213200 45213220 45213221 45213300 45213320 45214000 45214200 45214210 45214220 45216000 45216100 45260000 45261000
  45261200 45261210 45261212 45261215 45261220 45261222 45262000 45262700 45300000 45310000 45311000 45311200 45315000
  45316000 45316100 45316200 45316210 45316212 45330000 45331000 45331100 45331200 45331210 45331211 45333000 45333200
  45400000 45450000 45451000 45451200 45452000 45452100 45454000 50000000 50100000 50110000 50112000 50112100 50113000
  50114000 50114100 50118000 50118300 50300000 50310000 50312000 50312200 50312220 50312300 50312310 50317000 55000000
  55500000 55510000 55511000 55512000 55520000 55521000 55521100 55521200 55523100 55524000 72000000 72200000 72210000
  72212000 72212200 72212210 72212217 72212300 72212320 72212326 72212600 72212620 72212900 72212990 72212991 72300000
  72310000 72311000 72311100 72311200 72314000 79000000 79400000 79410000 79415000 79415200 79416000 79416200 79700000
  79710000 79714000 79714100 79714110 79715000 90000000 90500000 90510000 90511000 90513000 90513100 90514000 90600000
  90610000 90611000 90612000 90620000 90630000 90900000 90910000 90911000 90911200 90911300 90918000 90919000 90919200
  90919300
`.trim().split(/\s+/);


// Notice texts and keyword queries share these fragments, so phrases and exclusions do hit.
const FRAGMENTS = [
  'städning av skolor', 'städtjänster', 'lokalvård', 'fönsterputs', 'snöröjning i Lerum', 'snöröjningen', 'nya skolan',
  'mejeriprodukter till förskolor', 'mjölk', 'catering', 'Café', 'skolmåltider', 'nybyggnation av förskola', 'ombyggnad',
  'renovering av tak', 'ventilation', 'drift och support', 'programvara', 'båtar', 'batterier', 'bilar', 'hjälpmedel',
  'ramavtal', 'underhåll', 'reparation', 'Göteborgs Stad', 'Lerums kommun', 'Partille',
];
const KEYWORD_WORDS = ['städning', 'städ', 'lokalvård', 'snöröjning', 'skola', 'förskolor', 'mjölk', 'cafe', 'båt', 'bat', 'bygg', 'tak', 'drift', 'support', 'ramavtal', 'bil', 'lerum'];
const REGIONS = ['1441', '1402', '1480', '1401', '1489', '0180', '1280', 'SE232', 'SE23', 'SE2', 'SE110', 'SE1', 'SE'];
const PLACE_MUNICIPALITIES = ['1441', '1402', '1480', '1401', '0180', '1280', '2480'];
const PLACE_NUTS = ['SE232', 'SE231', 'SE110', 'SE224', 'SE331', 'SE23', 'SE2'];
const KINDS = ['planning', 'tender', 'award', 'change'];
const PROCEDURES = ['open', 'restricted', 'neg-w-call', 'comp-dial', 'innovation', 'oth-single'];
const VALID_UNTIL = [null, null, '2025-06-30', '2026-11-26', TODAY, '2026-11-28', '2029-12-31'];

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  /** Up to `max` picks, duplicates allowed (the rules must cope with them). */
  some<T>(list: readonly T[], max: number): T[] {
    return Array.from({ length: this.int(0, max) }, () => this.pick(list));
  }
}

function keywordQuery(r: Random): string {
  const parts = Array.from({ length: r.int(1, 3) }, () => r.pick(KEYWORD_WORDS));
  if (r.chance(0.3)) parts.push(`"${r.pick(FRAGMENTS)}"`);
  if (r.chance(0.3)) parts.push(`-${r.pick(KEYWORD_WORDS)}`);
  if (r.chance(0.15)) parts.push(`-"${r.pick(FRAGMENTS)}"`);
  return parts.join(' ');
}

function randomCompany(r: Random, id: string): MatchCompany {
  const capabilities: HeldCapability[] = r
    .some(Object.keys(CAPABILITIES), 4)
    .map((capability) => ({ capability, validUntil: r.pick(VALID_UNTIL) }));
  return { id, municipalityCode: r.pick(PLACE_MUNICIPALITIES), capabilities };
}

function randomSubscription(r: Random, id: string, company: MatchCompany, pool: string[]): MatchSubscription {
  const min = r.chance(0.15) ? r.pick([0, 100_000, 1_000_000, 5_000_000]) : null;
  return {
    id,
    company,
    cpv: Array.from({ length: r.int(1, 3) }, () => r.pick(pool)),
    includeParent: r.chance(0.3),
    keywords: r.chance(0.2) ? parseKeywords(keywordQuery(r)) : null,
    regions: r.chance(0.3) ? Array.from({ length: r.int(1, 3) }, () => r.pick(REGIONS)) : [],
    minValue: min,
    maxValue: r.chance(0.15) ? r.pick([500_000, 2_000_000, 20_000_000]) : null,
    kinds: r.chance(0.15) ? r.some(KINDS, 2) : [],
    procedures: r.chance(0.15) ? r.some(PROCEDURES, 2) : [],
    onlyCsr: r.chance(0.1),
    strict: r.chance(0.1),
  };
}

function randomNotice(r: Random, id: string, pool: string[]): MatchNotice {
  const codes: NoticeCode[] = [{ code: r.pick(pool), lotId: null, isMain: true }];
  for (const code of r.some(pool, 2)) codes.push({ code, lotId: null, isMain: false });
  for (let lot = 1; lot <= (r.chance(0.3) ? r.int(1, 3) : 0); lot++) {
    const lotId = `LOT-000${lot}`;
    codes.push({ code: r.pick(pool), lotId, isMain: true });
    for (const code of r.some(pool, 1)) codes.push({ code, lotId, isMain: false });
  }
  const amount = Math.round(10 ** (4 + 4 * r.next()));
  return {
    id,
    kind: r.pick(KINDS),
    codes,
    words: Words.of(Array.from({ length: r.int(1, 4) }, () => r.pick(FRAGMENTS)).join(', ')),
    place: { municipalities: r.some(PLACE_MUNICIPALITIES, 2), nuts: r.some(PLACE_NUTS, 2) },
    value: r.chance(0.3) ? null : { amount, currency: r.chance(0.1) ? 'EUR' : 'SEK' },
    procedure: r.chance(0.2) ? null : r.pick(PROCEDURES),
    criteria: {
      strategic: r.chance(0.4) ? r.some(Object.keys(EFORMS_CRITERIA.strategic), 2) : [],
      social: r.chance(0.3) ? r.some(Object.keys(EFORMS_CRITERIA.social), 3) : [],
      green: r.chance(0.3) ? r.some(Object.keys(EFORMS_CRITERIA.green), 2) : [],
      gpp: r.chance(0.1) ? [r.pick(Object.keys(EFORMS_CRITERIA.gpp))] : [],
      reserved: r.chance(0.1) ? [r.pick(['res-ws', 'res-ws', 'res-pub-ser'])] : [],
      smeSuitable: r.pick([true, false, null]),
      requirements: r.chance(0.4) ? r.some([...Object.keys(REQUIREMENTS), 'mobelfakta'], 3) : [],
    },
  };
}

function generate(seed: number, pool: string[], subscriptionCount: number, noticeCount: number) {
  const r = new Random(seed);
  const companies = Array.from({ length: Math.ceil(subscriptionCount / 3) }, (_, i) => randomCompany(r, `c${i}`));
  const subscriptions = Array.from({ length: subscriptionCount }, (_, i) => randomSubscription(r, `s${String(i).padStart(5, '0')}`, r.pick(companies), pool));
  const notices = Array.from({ length: noticeCount }, (_, i) => randomNotice(r, `n${i}`, pool));
  return { subscriptions, notices };
}

/**
 * Aimed at the index's fast paths: mostly plain subscriptions (CPV only, one
 * category or several), firms whose certificates lapse around `today`, firms
 * sharing an id but not a profile, and notices with no criteria, with
 * requirements and objectives, or reserved (res-ws).
 */
function generatePlain(seed: number, pool: string[], subscriptionCount: number, noticeCount: number) {
  const r = new Random(seed);
  const relevant = ['iso-14001', 'emas', 'svanen', 'collective-agreement', 'wise', 'sheltered-employment', 'fossil-free-transport', 'apprenticeships', 'mobelfakta'];
  const companies = Array.from({ length: Math.ceil(subscriptionCount / 4) }, (_, i) => {
    const capabilities = r.some(relevant, 3).map((capability) => ({ capability, validUntil: r.pick(VALID_UNTIL) }));
    return { id: `c${i}`, municipalityCode: r.pick(PLACE_MUNICIPALITIES), capabilities };
  });
  const subscriptions = Array.from({ length: subscriptionCount }, (_, i) => {
    let company = r.pick(companies);
    // Another object with the same firm id and its own profile: results and best-per-firm go by id, the rules by the object.
    if (r.chance(0.05)) company = { ...company, capabilities: r.some(relevant, 2).map((capability) => ({ capability, validUntil: r.pick(VALID_UNTIL) })) };
    const cpv = r.chance(0.75) ? [r.pick(pool)] : Array.from({ length: r.int(2, 4) }, () => r.pick(pool));
    const kind = r.next();
    return {
      id: `s${String(i).padStart(5, '0')}`, company, cpv, includeParent: r.chance(0.3), keywords: null, regions: [], minValue: null, maxValue: null,
      kinds: [], procedures: [], onlyCsr: false, strict: kind < 0.15,
      ...(kind > 0.9 ? { regions: [r.pick(REGIONS)], minValue: r.pick([null, 100_000]) } : {}),
    } satisfies MatchSubscription;
  });
  const notices = Array.from({ length: noticeCount }, (_, i) => {
    const n = randomNotice(r, `n${i}`, pool);
    const style = i % 4;
    const none = { strategic: [], social: [], green: [], gpp: [], reserved: [], smeSuitable: null, requirements: [] };
    if (style === 0) n.criteria = none; // nothing asked of the firm
    if (style === 1) n.criteria = { ...none, requirements: r.some(['iso-14001', 'svanen', 'collective-agreement', 'organic'], 2), strategic: r.some(['env-imp', 'soc-obj'], 1) };
    if (style === 2) n.criteria = { ...none, reserved: ['res-ws'], social: r.some(['opp', 'work-cond'], 2) };
    if (style === 3 && r.chance(0.5)) n.criteria = { ...none, gpp: ['eu'] }; // criteria, but none about the firm
    return n;
  });
  return { subscriptions, notices };
}

const byId = (a: MatchResult, b: MatchResult) => (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0);

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
function checkAgreement(subscriptions: MatchSubscription[], notices: MatchNotice[], todayOf: (n: MatchNotice) => string = () => TODAY) {
  const index = new MatchIndex(subscriptions);
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

    it('the built-in codes are real CPV 2008 codes', function () {
      for (const code of BUILT_IN_CPV) expect(normalizeCpv(code)).to.equal(code);
      const path = requireSharedData(this, 'cpv', 'cpv_2008_sv_en.csv');
      const published = new Set((parse(readFileSync(path), { columns: true }) as { code: string }[]).map((row) => row.code));
      expect(BUILT_IN_CPV.filter((code) => !published.has(code))).to.deep.equal([]);
    });
  });

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
