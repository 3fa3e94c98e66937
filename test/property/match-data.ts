// Random subscriptions and notices for the match index's tests, seeded so a
// failing case can be replayed. The property test and the unit tests share them.
import { CAPABILITIES, EFORMS_CRITERIA, REQUIREMENTS, type HeldCapability } from '../../src/domain/csr.ts';
import { parseKeywords, Words } from '../../src/domain/keywords.ts';
import type { MatchCompany, MatchNotice, MatchResult, MatchSubscription, NoticeCode } from '../../src/domain/match.ts';
import { mulberry32 } from '../../scripts/bench/random.ts';

export const TODAY = '2026-11-27';

/** Real CPV 2008 codes at every level, whole chains from division down, in the divisions local firms register most. */
export const BUILT_IN_CPV = `
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
export const VALID_UNTIL = [null, null, '2025-06-30', '2026-11-26', TODAY, '2026-11-28', '2029-12-31'];

export class Random {
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

export function randomNotice(r: Random, id: string, pool: string[]): MatchNotice {
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

export function generate(seed: number, pool: string[], subscriptionCount: number, noticeCount: number) {
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
export function generatePlain(seed: number, pool: string[], subscriptionCount: number, noticeCount: number) {
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

export const byId = (a: MatchResult, b: MatchResult) => (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0);
