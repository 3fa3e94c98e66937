// npm run bench:stats -- [--awards 1000000] [--runs 40] [--db <file>] [--json]
//
// Synthetic awards over 290 municipalities (one buyer each, five years
// 2021–2025, two awards per notice on average; winners with and without
// organisationsnummer and postcode, 3,000 registered firms), inserted directly
// into a fresh SQLite database. Then: the first derivation of the statistics
// tables (refreshStats), and the figures as staff ask for them: the yearly
// overview of one buyer and of all buyers (each with the previous year beside
// it), and a breakdown (CPV division) of one buyer's year.
//
// Baseline in the same run: a plain COUNT(*) of all buyers' contracts and
// procurements of the same year and the year before (the rows the all-buyers
// overview reads, through the same day indexes): the least any figure of those
// periods costs. baselineRatio = all buyers' overview p95 / baseline p95.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../db/database.ts';
import { parsePeriod, previousPeriod } from '../../src/domain/periods.ts';
import { COUNTY_NUTS3 } from '../../src/domain/regions.ts';
import { breakdown, overview, refreshStats } from '../../src/stats/stats.service.ts';
import { mulberry32 } from './random.ts';

const { values } = parseArgs({
  options: { awards: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '40' }, db: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const AWARDS = Number(values.awards);
const RUNS = Number(values.runs);
if (!Number.isInteger(AWARDS) || AWARDS < 1000 || !Number.isInteger(RUNS) || RUNS < 5) {
  console.error('usage: npm run bench:stats -- [--awards N ≥ 1000] [--runs N ≥ 5] [--json]');
  process.exit(2);
}
const log = values.json ? console.error : console.log;
const random = mulberry32(42);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];

function luhn(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return nine + String((10 - (sum % 10)) % 10);
}

const counties = Object.keys(COUNTY_NUTS3);
const municipalities = Array.from({ length: 290 }, (_, i) => (i === 0 ? '1441' : `${counties[i % counties.length]}${String(10 + Math.floor(i / counties.length)).padStart(2, '0')}`));
const buyers = municipalities.map((m, i) => ({ id: `B${i}`, org: luhn(`222000${String(1000 + i).slice(-3)}`), municipality: m }));
buyers[0].org = '2120001447';
const suppliers = Array.from({ length: 50_000 }, (_, i) => ({ org: luhn(`556${String(i).padStart(6, '0')}`), name: `Leverantör ${i} AB`, municipality: pick(municipalities) }));
const SIZES = ['micro', 'small', 'medium', 'large', null] as const;
const CPV = ['45000000', '90910000', '79620000', '30192000', '48000000', '55520000', '71000000', '33600000'];

// --db <file>: keep the database there, and reuse it when it already holds the awards (no insert, and only
// what changed is derived: e.g. a migration's effect measured on the same data).
const dir = values.db ? null : mkdtempSync(join(tmpdir(), 'brygga-bench-stats-'));
const file = values.db ?? join(dir!, 'bench.db');
const settings = { homeMunicipality: '1441', localArea: ['1441', '1402', '1480', '1401', '1440', '1489', '1443'] };
try {
  const db = openDatabase(`file:${file}`);
  await migrateToLatest(db);
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const t0 = performance.now();
  const now = new Date().toISOString();
  const reuse = (raw.prepare('select count(*) as n from awards').get() as { n: number }).n >= AWARDS;
  if (!reuse) raw.transaction(() => {
    const muni = raw.prepare('insert into municipalities (code, name, short_name, county_code) values (?, ?, ?, ?)');
    const postal = raw.prepare('insert into postal_codes (postal_code, locality, municipality_code) values (?, ?, ?)');
    municipalities.forEach((m, i) => {
      muni.run(m, `Kommun ${m}`, `K${m}`, m.slice(0, 2));
      for (let p = 0; p < 10; p++) postal.run(String(10000 + i * 10 + p), `Ort ${i}`, m);
    });
    const buyer = raw.prepare('insert into buyers (id, name, org_number, nuts, created_at) values (?, ?, ?, ?, ?)');
    for (const b of buyers) buyer.run(b.id, `Kommun ${b.municipality}`, b.org, COUNTY_NUTS3[b.municipality.slice(0, 2)], now);
    const company = raw.prepare('insert into companies (id, org_number, name, email, municipality_code, language, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 3000; i++) company.run(`C${i}`, suppliers[i * 7].org, suppliers[i * 7].name, `c${i}@example.se`, suppliers[i * 7].municipality, 'sv', now, now);
  })();
  const notice = raw.prepare(
    `insert into notices (id, source, source_id, kind, title, language, buyer_id, published_at, procedure, status, revision, content_hash, document, created_at, updated_at)
     values (?, 'eforms', ?, 'award', 'Upphandling', 'sv', ?, ?, ?, 'active', 1, '', '{}', ?, ?)`,
  );
  const cpv = raw.prepare('insert into notice_cpv (notice_id, code, lot_id, is_main) values (?, ?, null, 1)');
  const criterion = raw.prepare(`insert into notice_criteria (notice_id, kind, code) values (?, 'strategic', ?)`);
  const award = raw.prepare(
    `insert into awards (id, notice_id, lot_id, winner_name, winner_org_number, winner_size, winner_nuts, winner_postal_code, amount, currency, tenders_received)
     values (?, ?, ?, ?, ?, ?, null, ?, ?, 'SEK', ?)`,
  );
  let awards = reuse ? (raw.prepare('select count(*) as n from awards').get() as { n: number }).n : 0;
  let notices = reuse ? (raw.prepare('select count(*) as n from notices').get() as { n: number }).n : 0;
  while (awards < AWARDS) {
    raw.transaction(() => {
      for (let k = 0; k < 5000 && awards < AWARDS; k++) {
        const id = `N${notices++}`;
        const day = new Date(Date.UTC(2021, 0, 1) + Math.floor(random() * 5 * 365) * 86_400_000).toISOString().slice(0, 10);
        const at = new Date(Date.parse(now) + notices).toISOString(); // stored one after the other
        notice.run(id, id, pick(buyers).id, day, pick(['open', 'oth-single', 'restricted', null]), at, at);
        cpv.run(id, pick(CPV));
        if (random() < 0.1) criterion.run(id, pick(['env-imp', 'soc-obj', 'inn-pur']));
        const lots = 1 + Math.floor(random() * 3);
        for (let l = 0; l < lots && awards < AWARDS; l++) {
          const s = pick(suppliers);
          const withOrg = random() < 0.7;
          award.run(`A${awards++}`, id, `LOT-${l}`, s.name, withOrg ? s.org : null, pick(SIZES), random() < 0.5 ? String(10000 + municipalities.indexOf(s.municipality) * 10) : null,
            Math.round(random() * 2_000_000), random() < 0.6 ? 1 + Math.floor(random() * 8) : null);
        }
      }
    })();
  }
  const insertMs = performance.now() - t0;
  log(reuse ? `reused ${file}: ${awards} awards in ${notices} notices` : `inserted ${awards} awards in ${notices} notices in ${(insertMs / 1000).toFixed(1)} s`);

  const t1 = performance.now();
  await refreshStats(db, settings);
  const deriveMs = performance.now() - t1;
  log(`derived the statistics tables in ${(deriveMs / 1000).toFixed(1)} s`);

  const years = ['2022', '2023', '2024', '2025'];
  const time = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await work();
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)].toFixed(1));
    return { p50: at(0.5), p95: at(0.95) };
  };
  const overviewOne = await time(() => overview(db, settings, parsePeriod({ period: pick(years) })!, pick(buyers).org));
  const overviewAll = await time(() => overview(db, settings, parsePeriod({ period: pick(years) })!, null));
  const breakdownOne = await time(() => breakdown(db, settings, parsePeriod({ period: pick(years) })!, pick(buyers).org, 'cpv-division'));

  // Baseline: the least any overview must do, a plain COUNT(*) of the contracts and of the procurements of
  // the same two periods (the year and the year before, all buyers) over the same tables and day indexes.
  const count = raw.prepare('select (select count(*) from stat_contracts where day >= ? and day <= ?) as c, (select count(*) from stat_procurements where day >= ? and day <= ?) as p');
  const baseline = await time(async () => {
    const p = parsePeriod({ period: pick(years) })!;
    const before = previousPeriod(p);
    count.get(p.from, p.to, p.from, p.to);
    count.get(before.from, before.to, before.from, before.to);
  });
  raw.close();
  await db.destroy();

  const result = {
    awards, notices, buyers: buyers.length, insertMs: Math.round(insertMs), deriveMs: Math.round(deriveMs),
    overviewP95Ms: overviewOne.p95, overviewP50Ms: overviewOne.p50,
    overviewAllBuyersP95Ms: overviewAll.p95, breakdownP95Ms: breakdownOne.p95,
    overviewAllBuyersP50Ms: overviewAll.p50,
    baselineP95Ms: baseline.p95, baselineRatio: Number((overviewAll.p95 / baseline.p95).toFixed(1)),
    targetMet: overviewOne.p95 <= 200 && breakdownOne.p95 <= 200 && overviewAll.p95 <= 200,
  };
  log(`one buyer's yearly overview p95 ${result.overviewP95Ms} ms; all buyers p50 ${result.overviewAllBuyersP50Ms} ms, p95 ${result.overviewAllBuyersP95Ms} ms (${result.baselineRatio}× the baseline, a plain COUNT of both years' rows: p95 ${result.baselineP95Ms} ms); breakdown p95 ${result.breakdownP95Ms} ms`);
  if (values.json) console.log(JSON.stringify(result));
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
