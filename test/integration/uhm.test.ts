// UHM statistics parser against the real 2021 extracts. Every expected count is
// computed here from the CSV with a separate, simple reading (csv-parse/sync),
// not taken from the parser.
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { RejectedError } from '../../src/ingest/rejected.ts';
import { parseUhm } from '../../src/ingest/uhm.ts';
import { noticeInputSchema, type NoticeInput } from '../../src/notices/notice.schema.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

type Row = Record<string, string>;
type Parsed = { notices: NoticeInput[]; rejected: { rejected: string; ref: string }[] };

const LERUM = '2120001447';
const PROCUREMENTS = 'number_of_procurements.csv.gz';
const VALUES = 'contracted_value.csv.gz';
const TENDERS = 'contracted_tenders_with_suppliers_2021-01_to_2021-09.csv.gz';

async function collect(input: Readable): Promise<Parsed> {
  const out: Parsed = { notices: [], rejected: [] };
  for await (const item of parseUhm(input)) {
    if ('notice' in item) out.notices.push(noticeInputSchema.parse(item.notice));
    else out.rejected.push(item);
  }
  return out;
}

async function rejection(input: Buffer | string): Promise<string> {
  try {
    await collect(Readable.from([Buffer.from(input)]));
  } catch (error) {
    if (error instanceof RejectedError) return error.reason;
    throw error;
  }
  throw new Error('expected a RejectedError');
}

/** The independent reading: whole file, gunzipped, into objects keyed by header. */
function rows(path: string): Row[] {
  const bytes = readFileSync(path);
  return parse(path.endsWith('.gz') ? gunzipSync(bytes) : bytes, { columns: true, bom: true }) as Row[];
}

const knownCpv = (r: Row) => /^\d{8} /.test(r['Huvudsaklig CPV-kod']) && !r['Huvudsaklig CPV-kod'].startsWith('00000000');
const isTrue = (v: string) => v === 'True' || v === '1';
/** Ten digits, third digit 2 or more (not a personnummer), Luhn check digit. */
function isOrgNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits) || Number(digits[2]) < 2) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}
const count = <T>(list: T[], test: (x: T) => boolean) => list.filter(test).length;

describe('UHM statistics parser', function () {
  this.timeout(60_000);
  let dir: string;
  const path = (name: string) => join(dir, name);

  before(function () {
    dir = requireSharedData(this, 'sustainability', 'uhm-statistikdatabas-2021');
  });

  describe('number_of_procurements (gzip)', () => {
    let csv: Row[];
    let parsed: Parsed;
    before(async () => {
      csv = rows(path(PROCUREMENTS)).filter(knownCpv);
      parsed = await collect(createReadStream(path(PROCUREMENTS)));
    });

    it('yields one tender notice per row with a known CPV, and rejects the rest', () => {
      expect(parsed.notices).to.have.length(csv.length);
      expect(parsed.rejected).to.have.length(rows(path(PROCUREMENTS)).length - csv.length);
      expect(new Set(parsed.rejected.map((r) => r.rejected))).to.deep.equal(new Set(['no CPV']));
      expect(new Set(parsed.notices.map((n) => `${n.source}/${n.kind}/${n.language}`))).to.deep.equal(new Set(['uhm/tender/sv']));
    });

    it('counts Lerums kommun the way the CSV does', () => {
      const lerum = count(csv, (r) => r['Organisationsnummer för köpare'].replace('-', '') === LERUM);
      expect(lerum).to.be.greaterThan(50);
      expect(count(parsed.notices, (n) => n.buyer.orgNumber === LERUM)).to.equal(lerum);
      expect(count(parsed.notices, (n) => n.buyer.name === 'LERUMS KOMMUN')).to.equal(lerum);
    });

    it('carries the sustainability flags', () => {
      const flagged = (column: string) => count(csv, (r) => isTrue(r[column]));
      const has = (code: string) => count(parsed.notices, (n) => n.criteria.strategic.includes(code));
      expect(has('soc-obj')).to.equal(flagged('Socialt hållbar upphandling')).and.be.greaterThan(1000);
      expect(has('env-imp')).to.equal(flagged('Miljömässigt hållbar upphandling'));
      expect(has('inn-pur')).to.equal(flagged('Innovationsupphandling'));
      const reserved = count(csv, (r) => isTrue(r['Reserverad upphandling']) || isTrue(r['Reserverat genomförande']));
      expect(count(parsed.notices, (n) => n.criteria.reserved.includes('res-ws'))).to.equal(reserved).and.be.greaterThan(0);
    });

    it('maps orgnr, dates and procedures', () => {
      // Not Swedish orgnr: Åland's Finnish business ids ("0145076-7"), ten numbers with a wrong
      // check digit (Linköpings kommun "2220000449") and two that read as personnummer.
      const valid = count(csv, (r) => isOrgNumber(r['Organisationsnummer för köpare'].replace('-', '')));
      expect(valid).to.be.greaterThan(18_000);
      expect(count(parsed.notices, (n) => n.buyer.orgNumber !== null)).to.equal(valid);
      const first = parsed.notices.find((n) => n.sourceId === 'MT34')!;
      expect(first).to.deep.include({
        title: 'Revisionstjänster Lunds Rådhus AB med dotterbolag',
        cpv: { main: '79212000', additional: [] },
        publishedAt: '2021-01-01', // a day, no time made up
        procedure: 'open',
        version: '20210101-1',
      });
      expect(first.buyer).to.deep.equal({ name: 'LUNDS KOMMUN', orgNumber: '2120001132', nuts: null });
      const open = count(csv, (r) => r['Förfarande'] === 'Öppet förfarande');
      expect(count(parsed.notices, (n) => n.procedure === 'open')).to.equal(open);
      // The national procedures are eForms' single- and multi-stage "other" procedures.
      expect(count(parsed.notices, (n) => n.procedure === 'oth-single')).to.equal(count(csv, (r) => r['Förfarande'] === 'Förenklat förfarande'));
      expect(count(parsed.notices, (n) => n.procedure === 'oth-mult')).to.equal(count(csv, (r) => r['Förfarande'] === 'Urvalsförfarande'));
      // "Annat förfarande" names no eForms procedure: left out, like an empty cell.
      expect(count(parsed.notices, (n) => n.procedure === null)).to.equal(count(csv, (r) => r['Förfarande'] === '' || r['Förfarande'] === 'Annat förfarande'));
      expect(parsed.notices.every((n) => n.links.documents === null && n.links.submission === null && n.links.source === null)).to.equal(true);
    });
  });

  it('reads contracted values in SEK (0 means not reported)', async () => {
    const csv = rows(path(VALUES)).filter(knownCpv);
    const { notices } = await collect(createReadStream(path(VALUES)));
    expect(notices).to.have.length(csv.length);
    const reported = csv.map((r) => Number(r['Kontrakterat värde, Summa'])).filter((v) => v > 0);
    const values = notices.flatMap((n) => (n.estimatedValue ? [n.estimatedValue] : []));
    expect(values).to.have.length(reported.length);
    expect(new Set(values.map((v) => v.currency))).to.deep.equal(new Set(['SEK']));
    expect(values.reduce((s, v) => s + v.amount, 0)).to.equal(reported.reduce((s, v) => s + v, 0));
  });

  describe('contracted tenders with suppliers (gzip)', () => {
    let csv: Row[];
    let parsed: Parsed;
    let groups: Map<string, Row[]>;
    before(async () => {
      csv = rows(path(TENDERS));
      parsed = await collect(createReadStream(path(TENDERS)));
      groups = new Map();
      for (const r of csv) groups.set(r['Upphandlings-ID'], [...(groups.get(r['Upphandlings-ID']) ?? []), r]);
      // A procurement's descriptive columns are read from its first row.
      for (const [id, group] of groups) if (!knownCpv(group[0])) groups.delete(id);
    });

    it('yields one award notice per procurement, grouping rows that are not adjacent', () => {
      expect(parsed.notices).to.have.length(groups.size).and.be.greaterThan(7000);
      expect(new Set(parsed.notices.map((n) => n.kind))).to.deep.equal(new Set(['award']));
      expect(new Set(parsed.notices.map((n) => n.sourceId))).to.have.property('size', groups.size);
    });

    it('keeps every winner, with its lot and size', () => {
      const winners = [...groups.values()].flat();
      expect(parsed.notices.reduce((s, n) => s + n.awards.length, 0)).to.equal(winners.length);
      const sizes = { micro: 'Mikroföretag', small: 'Små företag', medium: 'Medelstora företag', large: 'Stora företag' } as const;
      for (const [size, label] of Object.entries(sizes)) {
        const awarded = parsed.notices.flatMap((n) => n.awards).filter((a) => a.winner.size === size);
        expect(awarded, size).to.have.length(count(winners, (r) => r['Företagsstorlek för leverantör'] === label));
      }
      const big = parsed.notices.find((n) => n.sourceId === 'SE57812')!;
      expect(big.awards).to.have.length(groups.get('SE57812')!.length);
      expect(big.awards.every((a) => a.winner.orgNumber === null && a.lotId!.startsWith('CAN-'))).to.equal(true);
    });

    it('counts Lerums kommun and the social flag', () => {
      const lerum = [...groups.values()].filter((g) => g[0]['Organisationsnummer för köpare'] === LERUM);
      expect(count(parsed.notices, (n) => n.buyer.orgNumber === LERUM)).to.equal(lerum.length).and.be.greaterThan(10);
      const social = [...groups.values()].filter((g) => g[0]['Socialt hållbar upphandling'] === '1');
      expect(count(parsed.notices, (n) => n.criteria.strategic.includes('soc-obj'))).to.equal(social.length);
    });

    it('maps one procurement exactly', () => {
      const n = parsed.notices.find((x) => x.sourceId === 'MT42')!;
      expect(n).to.deep.include({ title: 'Livsmedel kött och charkprodukter, kylvara 2021', version: '20210103-3', procedure: 'open' });
      expect(n.cpv.main).to.equal('15100000');
      expect(n.awards).to.deep.equal([
        {
          lotId: 'CAN-MT-afwsabfofo-03_1',
          winner: { name: 'Charkett Aktiebolag', orgNumber: null, size: 'small', nuts: null, postalCode: null },
          value: null,
          tendersReceived: null,
        },
      ]);
    });
  });

  it('reads the uncompressed samples', async () => {
    const sample = path('sample_number_of_procurements_first200.csv');
    const { notices } = await collect(createReadStream(sample));
    expect(notices).to.have.length(rows(sample).filter(knownCpv).length);
  });

  describe('hand-written input', () => {
    const header = 'Upphandlings-ID;Upphandlingens titel;Namn för köpare;Organisationsnummer för köpare;Huvudsaklig CPV-kod;Publiceringsdatum;Förfarande;Socialt hållbar upphandling;Namn för leverantör;Företagsstorlek för leverantör;Anbudsområdes-ID';
    const tenders = [
      header,
      'A1;Städning;LERUMS KOMMUN;212000-1447;90910000 Rengöring;2021-03-01;Selektivt förfarande;1;Städ AB;Mikroföretag;L1',
      'B2;Snöröjning;ÅLANDS LANDSKAPSREGERING;0145076-7;"90620000 Snöröjning";2021-03-02;;0;Plog Ab;Stora företag;L1',
      'A1;Städning;LERUMS KOMMUN;212000-1447;90910000 Rengöring;2021-03-01;Selektivt förfarande;1;Personuppgift;;L2',
    ].join('\r\n');

    it('reads ";"-separated files with a BOM, hyphenated orgnr, and groups non-adjacent rows', async () => {
      const { notices } = await collect(Readable.from([Buffer.from(`\ufeff${tenders}\r\n`)]));
      expect(notices.map((n) => [n.sourceId, n.buyer.orgNumber, n.procedure, n.criteria.strategic, n.awards.map((a) => [a.lotId, a.winner.name, a.winner.size])])).to.deep.equal([
        ['A1', LERUM, 'restricted', ['soc-obj'], [['L1', 'Städ AB', 'micro'], ['L2', 'Personuppgift', null]]],
        ['B2', null, null, [], [['L1', 'Plog Ab', 'large']]],
      ]);
    });

    it('reads gzip however the input is chunked', async () => {
      const gz = gzipSync(tenders);
      const oneByte = Readable.from((function* () {
        for (const byte of gz) yield Buffer.from([byte]);
      })());
      expect((await collect(oneByte)).notices).to.have.length(2);
    });

    it('rejects hostile files', async () => {
      const procurementsHeader = 'Upphandlings-ID,Upphandlingens titel,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Publiceringsdatum,"Antal upphandlingar, Summa"';
      const good = 'X1,Titel,KÖPARE,2120001447,79212000 Revision,2021-01-01,1';
      expect(await rejection('')).to.equal('empty file');
      expect(await rejection(`${procurementsHeader}\n`)).to.equal('no usable row (no data rows)');
      expect(await rejection(`${procurementsHeader}\nX1,Titel,KÖPARE,2120001447,00000000 Uppgift saknas,2021-01-01,1\n`)).to.equal(
        'no usable row (first: no CPV at X1)',
      );
      expect(await rejection(`${procurementsHeader}\n"X1,"Titel",KÖPARE,2120001447,79212000,2021-01-01,1\n`)).to.match(/^malformed CSV: /);
      expect(await rejection(`${procurementsHeader}\n${good}\nX2,"Titel"x,KÖPARE,2120001447,79212000,2021-01-01,1\n`)).to.match(/^malformed CSV: /);
      expect(await rejection(`${procurementsHeader}\n${good},extra\n`)).to.match(/^malformed CSV: /);
      expect(await rejection(`${procurementsHeader}\n"${'x'.repeat(2_000_000)}`)).to.match(/^malformed CSV: /);
      expect(await rejection('id,title,buyer\n1,2,3\n')).to.match(/^not a UHM statistics file/);
      expect(await rejection('Upphandlings-ID,Upphandlingens titel\nX1,Titel\n')).to.match(/^unknown UHM file/);
      expect(await rejection('Upphandlings-ID,"Antal upphandlingar, Summa",Publiceringsdatum\nX1,1,2021-01-01\n')).to.equal(
        'missing columns: Upphandlingens titel, Namn för köpare, Organisationsnummer för köpare, Huvudsaklig CPV-kod',
      );
      expect(await rejection(Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not really gzip at all')]))).to.match(/^malformed gzip: /);
      const realGz = readFileSync(path(PROCUREMENTS));
      expect(await rejection(realGz.subarray(0, realGz.length >> 1))).to.match(/^malformed gzip: /);
      expect(await rejection(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).to.match(/^not a UHM statistics file/);
    });
  });
});
