// The statistics over Upphandlingsmyndigheten's 2021 files, for Lerums kommun
// and for all buyers. The expected figures are computed here from the raw CSV
// with a separate, simple reading (csv-parse/sync, plain loops), not with the
// application's SQL: counts of procurements and contracts, contracts by
// supplier size, the CSR-flagged shares. Exact equality.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { parsePeriod } from '../../src/domain/periods.ts';
import { ingestSources } from '../../src/ingest/ingest.service.ts';
import { fileSource } from '../../src/ingest/sources.ts';
import { overview } from '../../src/stats/stats.service.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

type Row = Record<string, string>;
const LERUM = '2120001447';
const PROCUREMENTS = 'number_of_procurements.csv.gz';
const TENDERS = 'contracted_tenders_with_suppliers_2021-01_to_2021-09.csv.gz';
const SETTINGS = { homeMunicipality: '1441', localArea: ['1441', '1402', '1480', '1401', '1440', '1489', '1443'] };

const rows = (path: string): Row[] => parse(gunzipSync(readFileSync(path)), { columns: true, bom: true }) as Row[];
const knownCpv = (r: Row) => /^\d{8} /.test(r['Huvudsaklig CPV-kod']) && !r['Huvudsaklig CPV-kod'].startsWith('00000000');
const flagged = (v: string | undefined) => v === 'True' || v === '1';
const digits = (v: string) => v.replace(/\D/g, '');
const SIZE: Record<string, string> = { Mikroföretag: 'micro', 'Små företag': 'small', 'Medelstora företag': 'medium', 'Stora företag': 'large' };

type Expected = {
  procurements: number; contracts: number; bySize: Record<string, number>;
  csr: Record<'social' | 'environmental' | 'innovation' | 'reserved', number>;
};

/**
 * What Brygga holds after importing the procurements file, then the contracted
 * tenders file: a procurement per Upphandlings-ID with a known CPV code, its
 * buyer and flags from the procurements file (where it is there; otherwise from
 * the tenders file's first row with a known CPV); one contract per tenders row
 * of an ID whose tender rows have a known CPV code somewhere.
 */
function expected(procurementRows: Row[], tenderRows: Row[], buyer: string | null): Expected {
  const procurement = new Map<string, Row>();
  for (const r of procurementRows) if (knownCpv(r)) procurement.set(r['Upphandlings-ID'], r);
  const tenderGroups = new Map<string, Row[]>();
  for (const r of tenderRows) tenderGroups.set(r['Upphandlings-ID'], [...(tenderGroups.get(r['Upphandlings-ID']) ?? []), r]);
  for (const [id, group] of tenderGroups) {
    const first = group.find(knownCpv);
    if (first && !procurement.has(id)) procurement.set(id, first);
  }
  const ofBuyer = (r: Row) => buyer === null || digits(r['Organisationsnummer för köpare']) === buyer;
  const out: Expected = { procurements: 0, contracts: 0, bySize: { micro: 0, small: 0, medium: 0, large: 0, unknown: 0 }, csr: { social: 0, environmental: 0, innovation: 0, reserved: 0 } };
  for (const r of procurement.values()) {
    if (!ofBuyer(r)) continue;
    out.procurements++;
    if (flagged(r['Socialt hållbar upphandling'])) out.csr.social++;
    if (flagged(r['Miljömässigt hållbar upphandling'])) out.csr.environmental++;
    if (flagged(r['Innovationsupphandling'])) out.csr.innovation++;
    if (flagged(r['Reserverad upphandling']) || flagged(r['Reserverat genomförande'])) out.csr.reserved++;
  }
  for (const [id, group] of tenderGroups) {
    if (!group.some(knownCpv)) continue; // the parser refuses such a group
    const owner = procurement.get(id)!;
    if (!ofBuyer(owner)) continue;
    for (const r of group) {
      out.contracts++;
      out.bySize[SIZE[r['Företagsstorlek för leverantör']] ?? 'unknown']++;
    }
  }
  return out;
}

describe('Statistics over the UHM 2021 files (Lerum and all buyers)', function () {
  this.timeout(300_000);
  let dir: string;
  let db: Db;
  let database: TestDatabase | undefined;
  let procurementRows: Row[];
  let tenderRows: Row[];

  before(async function () {
    const data = requireSharedData(this, 'sustainability', 'uhm-statistikdatabas-2021');
    procurementRows = rows(join(data, PROCUREMENTS));
    tenderRows = rows(join(data, TENDERS));
    dir = mkdtempSync(join(tmpdir(), 'brygga-stats-uhm-'));
    database = await testDatabase(dir);
    db = openDatabase(database.url);
    await migrateToLatest(db);
    const sources = [await fileSource(join(data, PROCUREMENTS)), await fileSource(join(data, TENDERS))];
    const summary = await ingestSources(db, sources, { format: 'auto', maxBytes: 200 * 1024 * 1024, sliceMs: 2000, pauseMs: 0 });
    expect(summary.files.every((f) => f.error === null)).to.equal(true);
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, buyer] of [['Lerums kommun (212000-1447)', LERUM], ['all buyers', null]] as const) {
    it(`2021, ${name}: procurements, contracts, contracts by size, SME and CSR shares equal the raw CSV`, async () => {
      const want = expected(procurementRows, tenderRows, buyer);
      const o = await overview(db, SETTINGS, parsePeriod({ period: '2021' })!, buyer);
      expect(o.procurements.count).to.equal(want.procurements);
      expect(o.contracts.count).to.equal(want.contracts);
      expect(o.smeShare.bySize).to.deep.equal(want.bySize);
      const known = want.contracts - want.bySize.unknown;
      expect(o.smeShare.share).to.equal((want.bySize.micro + want.bySize.small + want.bySize.medium) / known);
      expect(o.smeShare.unknown).to.equal(want.bySize.unknown);
      for (const k of ['social', 'environmental', 'innovation', 'reserved'] as const) {
        expect(o.csrShare[k].numerator, k).to.equal(want.csr[k]);
        expect(o.csrShare[k].denominator, k).to.equal(want.procurements);
        expect(o.csrShare[k].share, k).to.equal(want.csr[k] / want.procurements);
      }
      // No firm, register or address is known here: every contract's place is unknown, and said so.
      expect(o.localShare.count).to.deep.equal({ numerator: 0, denominator: 0, unknown: want.contracts, share: null });
      expect(o.localShare.rules.unknown).to.equal(want.contracts);
      expect(o.previousPeriod.label).to.equal('2020');
      expect(o.contracts.previous).to.equal(0);
      if (buyer === LERUM) {
        // Pinned as well, so a change in the data or the reading shows up here.
        expect([o.procurements.count, o.contracts.count]).to.deep.equal([61, 68]);
        expect(o.smeShare.bySize).to.deep.equal({ micro: 8, small: 15, medium: 13, large: 32, unknown: 0 });
      }
    });
  }

  it('a quarter counts the procurements published in it (Q1 2021, all buyers)', async () => {
    const q1 = parsePeriod({ period: '2021-Q1' })!;
    const o = await overview(db, SETTINGS, q1, null);
    // The last row of a repeated ID wins (a newer publication is a newer version).
    const days = new Map<string, string>();
    for (const r of procurementRows) if (knownCpv(r)) days.set(r['Upphandlings-ID'], r['Publiceringsdatum']);
    const groups = new Map<string, Row[]>();
    for (const r of tenderRows) groups.set(r['Upphandlings-ID'], [...(groups.get(r['Upphandlings-ID']) ?? []), r]);
    for (const [id, group] of groups) {
      const first = group.find(knownCpv);
      if (first && !days.has(id)) days.set(id, first['Publiceringsdatum']);
    }
    const inQ1 = [...days.values()].filter((d) => d >= q1.from && d <= q1.to).length;
    expect(o.procurements.count).to.equal(inQ1);
    expect(o.previousPeriod.label).to.equal('2020-Q4');
  });
});
