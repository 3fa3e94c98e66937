// Property test over real SQLite: a new subscription's backfill
// (MatchEngine.matchSubscription) reads only the open notices with a CPV code
// that can meet its categories (domain/match.ts cpvCandidates, in SQL). It
// must record exactly what evaluating the subscription against every open
// notice records: the same notices, scores, reasons and missing requirements.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { registerCompany } from '../../src/companies/companies.service.ts';
import { companyInputSchema } from '../../src/companies/company.schema.ts';
import { stockholmDate } from '../../src/domain/dates.ts';
import { subscriptionTakes } from '../../src/domain/alerts.ts';
import { CAPABILITIES, EFORMS_CRITERIA, REQUIREMENTS } from '../../src/domain/csr.ts';
import { evaluate } from '../../src/domain/match.ts';
import { DEFAULT_LOCAL_AREA } from '../../src/domain/regions.ts';
import { MatchEngine } from '../../src/matching/match-engine.ts';
import { explainExpired } from '../../src/matching/expired.ts';
import { listOpenNotices } from '../../src/matching/matching.repo.ts';
import { noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { storedDocument } from '../../src/notices/notices.repo.ts';
import { storeNotice } from '../../src/notices/notices.service.ts';
import { BUILT_IN_CPV, Random, VALID_UNTIL } from '../property/match-data.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

const NOW = new Date('2026-11-27T09:00:00Z');
const DAY = 86_400_000;
const MAX_AGE_DAYS = 30;
const FRAGMENTS = ['städning av skolor', 'lokalvård', 'fönsterputs', 'snöröjning i Lerum', 'mejeriprodukter till förskolor', 'ombyggnad', 'renovering av tak', 'drift och support', 'ramavtal'];
const KEYWORDS = ['städning', 'städ', 'snöröjning', 'skola', 'förskolor', 'tak', 'drift', 'ramavtal', 'lerum', '"fönster puts"', '-ramavtal'];
const POSTCODES: [string, string][] = [['44330', '1441'], ['43330', '1402'], ['41101', '1480'], ['11120', '0180']];
const BUYERS = ['Lerums kommun', 'Göteborgs Stad', 'Västtrafik AB', 'Partille kommun'];
// Codes from a few divisions, so that categories and notices meet at every level (and many do not meet at all).
const POOL = BUILT_IN_CPV.filter((c) => /^(45|90|15)/.test(c));

function orgNumber(n: number): string {
  const base = `55${String(7_000_000 + n).padStart(7, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

function randomNotice(r: Random, i: number) {
  const cpv = () => ({ main: r.pick(POOL), additional: r.some(POOL, 2) });
  const deadline = r.pick([null, 1, 10, -1, -20]);
  const [postalCode] = r.chance(0.5) ? r.pick(POSTCODES) : [null];
  return {
    source: 'local', reference: `P ${i}`,
    kind: r.pick(['tender', 'tender', 'planning', 'award', 'change']),
    title: `${r.pick(FRAGMENTS)} ${i}`, description: r.chance(0.7) ? Array.from({ length: r.int(1, 3) }, () => r.pick(FRAGMENTS)).join(', ') : null,
    buyer: { name: r.pick(BUYERS), orgNumber: null, nuts: r.chance(0.3) ? r.pick(['SE232', 'SE110']) : null },
    cpv: cpv(),
    lots: Array.from({ length: r.chance(0.3) ? r.int(1, 3) : 0 }, (_, n) => ({ id: `LOT-000${n + 1}`, title: r.pick(FRAGMENTS), cpv: r.chance(0.8) ? cpv() : null })),
    publishedAt: new Date(NOW.getTime() - r.int(0, 60) * DAY).toISOString(),
    deadline: deadline === null ? null : new Date(NOW.getTime() + deadline * DAY).toISOString(),
    procedure: r.chance(0.2) ? null : r.pick(['open', 'restricted', 'neg-w-call']),
    estimatedValue: r.chance(0.3) ? null : { amount: Math.round(10 ** (4 + 4 * r.next())), currency: r.chance(0.1) ? 'EUR' : 'SEK' },
    placeOfPerformance: { nuts: r.some(['SE232', 'SE231', 'SE110'], 2), postalCode, town: r.chance(0.2) ? r.pick(['Lerum', 'Alingsås', 'Göteborg']) : null },
    criteria: {
      strategic: r.chance(0.3) ? r.some(Object.keys(EFORMS_CRITERIA.strategic), 2) : [],
      social: r.chance(0.2) ? r.some(Object.keys(EFORMS_CRITERIA.social), 2) : [],
      reserved: r.chance(0.1) ? ['res-ws'] : [],
      requirements: r.chance(0.4) ? r.some(Object.keys(REQUIREMENTS), 3) : [],
    },
    awards: r.chance(0.1) ? [{ winner: { name: 'Vinnaren AB' } }] : [],
  };
}

function randomFilters(r: Random) {
  return {
    includeParent: r.chance(0.3),
    keywords: r.chance(0.2) ? Array.from({ length: r.int(1, 2) }, () => r.pick(KEYWORDS)).join(' ') + ' skola' : null,
    regions: r.chance(0.3) ? r.some(['local', '1441', '1480', 'SE232', 'SE1'], 2) : [],
    minValue: r.chance(0.15) ? r.pick([0, 100_000, 1_000_000]) : null,
    maxValue: r.chance(0.15) ? r.pick([2_000_000, 20_000_000]) : null,
    kinds: r.chance(0.2) ? r.some(['tender', 'planning'] as const, 2) : [],
    procedures: r.chance(0.15) ? r.some(['open', 'restricted'], 2) : [],
    onlyCsr: r.chance(0.1),
    strict: r.chance(0.15),
  };
}

describe('backfill of a new subscription (matchSubscription)', function () {
  this.timeout(120_000);
  let dir: string;
  let db: Db;
  let database: TestDatabase;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-backfill-'));
    database = await testDatabase(dir);
    db = openDatabase(database.url);
    await migrateToLatest(db);
    await db.insertInto('postal_codes').values(POSTCODES.map(([postal_code, municipality_code]) => ({ postal_code, locality: 'Orten', municipality_code }))).execute();
    const r = new Random(20261127);
    for (let i = 0; i < 800; i++) await storeNotice(db, noticeInputSchema.parse(randomNotice(r, i)), NOW);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records exactly what evaluating it against every open notice gives', async () => {
    const engine = new MatchEngine(db, DEFAULT_LOCAL_AREA, MAX_AGE_DAYS);
    const r = new Random(42);
    const today = stockholmDate(NOW);
    let total = 0;
    for (let i = 0; i < 80; i++) {
      const categories = Array.from({ length: r.int(1, 3) }, () => r.pick(POOL));
      const csr = r.some(Object.keys(CAPABILITIES), 4).map((capability) => ({ capability, validUntil: r.pick(VALID_UNTIL) }));
      const { id: companyId, subscriptionId } = await registerCompany(db, companyInputSchema.parse({
        orgNumber: orgNumber(i), name: `Firma ${i} AB`, email: `firma${i}@backfill.test`, municipalityCode: r.pick(['1441', '1480', '0180']), categories, csr: [...new Map(csr.map((c) => [c.capability, c])).values()],
      }), NOW, randomFilters(r));
      const found = await engine.matchSubscription(subscriptionId, NOW);

      // The whole scan, as matchSubscription did it before: every open notice, everything prepared.
      const sub = engine['subscriptions'].get(subscriptionId)!;
      const expected: string[] = [];
      for (const row of await listOpenNotices(db, NOW, MAX_AGE_DAYS)) {
        const alert = engine.alertKind(row, NOW);
        if (!alert || !subscriptionTakes(sub.kinds, alert)) continue;
        const result = evaluate(await engine.prepare(row.id, storedDocument(row)), sub.rule, today);
        if (!result) continue;
        const { score, reasons, missing } = explainExpired(result, sub.rule.company.capabilities, today);
        expected.push(JSON.stringify([row.id, score, reasons, missing]));
      }
      const stored = await db.selectFrom('matches').select(['notice_id', 'score', 'reasons', 'missing']).where('company_id', '=', companyId).execute();
      const recorded = stored.map((m) => JSON.stringify([m.notice_id, m.score, JSON.parse(m.reasons), JSON.parse(m.missing)]));
      const context = `subscription ${i}: ${JSON.stringify({ categories, ...sub.rule, company: undefined, keywords: sub.rule.keywords })}`;
      expect([...found].sort(), context).to.deep.equal(expected.map((e) => (JSON.parse(e) as string[])[0]).sort());
      expect(recorded.sort(), context).to.deep.equal(expected.sort());
      total += found.length;
    }
    // The data must make the comparison mean something: many matches, and subscriptions that match nothing.
    expect(total).to.be.greaterThan(500);
  });
});
