// The statistics exports (/staff/stats/export.csv and .xlsx): every table read
// back — the CSV with a small parser written here (quotes, `;` and `,`, line
// breaks inside fields), the workbook with exceljs — and compared with what
// GET /api/stats/… gives as JSON. Buyer names with `;`, quotes and commas, and
// CPV labels with commas, test the escaping; numbers stay numbers in the xlsx.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { storeNotice } from '../../src/notices/notices.service.ts';
import { toCsv, type StatTable } from '../../src/stats/export.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';

const LERUM = { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' };
const ODD = { name: 'Köpare "Citat"; Bolag, AB', orgNumber: '2120001355', nuts: 'SE232' };
const digits = (o: string) => o.replace(/\D/g, '');

/** RFC 4180 read back: fields separated by `sep`, quoted fields may hold `sep`, `""` and line breaks. */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const num = (s: string, decimalComma: boolean) => (s === '' ? null : Number(decimalComma ? s.replace(',', '.') : s));

describe('Statistics exports: CSV and xlsx read back equal the API', function () {
  this.timeout(120_000);
  let t: TestApp;
  const home = nextOrgNumber();

  const json = async (path: string) => {
    const res = await api(t.app, 'GET', path);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const csv = async (query: string) => {
    const res = await fetch(`${t.app.url}/staff/stats/export.csv?${query}`, { headers: { authorization: `Bearer ${t.app.adminToken}` } });
    expect(res.status, await res.clone().text()).to.equal(200);
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer()), res };
  };

  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    const reg = await api(t.app, 'POST', '/api/companies', { orgNumber: home, name: 'Lerum Bygg AB', email: 'bygg@firma.example', municipalityCode: '1441', categories: ['45000000'] });
    expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
    const award = (name: string, orgNumber: string | null, size: string | null, amount: number | null, tenders: number | null) => ({
      winner: { name, orgNumber, size, nuts: null, postalCode: null }, value: amount === null ? null : { amount, currency: 'SEK' }, tendersReceived: tenders,
    });
    const notice = (sourceId: string, buyer: object, cpv: string, procedure: string, awards: object[]) => noticeInputSchema.parse({
      source: 'eforms', sourceId, kind: 'award', title: `Upphandling ${sourceId}`, buyer, cpv: { main: cpv }, procedure, publishedAt: '2021-03-01', awards,
    });
    await storeNotice(t.app.db, notice('E-1', LERUM, '45000000', 'open', [
      award('Lerum Bygg AB', digits(home), 'small', 1_250_000, 3),
      award('Okänd Leverantör AB', null, null, 400_000, null),
    ]));
    await storeNotice(t.app.db, notice('E-2', ODD, '90910000', 'restricted', [award('Lerum Bygg AB', digits(home), 'small', 333, 2)]));
    await storeNotice(t.app.db, notice('E-3', LERUM, '30190000', 'open', [award('Kontorsvaror Sverige AB', null, 'large', 99_999, 5)]));
  });
  after(async () => t?.stop());

  it('the levels and key figures as Swedish-Excel CSV (BOM, `;`, decimal commas) equal the overview', async () => {
    const o = await json('/api/stats/overview?period=2021&buyer=all');
    const { text, res } = await csv('period=2021&buyer=all&table=levels');
    expect(res.headers.get('content-type')).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="?brygga-statistik-2021-alla-levels\.csv"?$/);
    expect(text.charCodeAt(0), 'BOM').to.equal(0xfeff);
    const [head, ...rows] = parseCsv(text.slice(1), ';');
    expect(head[0]).to.equal('Kod');
    for (const r of rows) {
      const level = o.localShare.byLevel[r[0]];
      expect(num(r[2], true), r[0]).to.equal(level.count);
      expect(num(r[3], true), r[0]).to.equal(level.countShare);
      expect(num(r[4], true), r[0]).to.equal(level.value);
      expect(num(r[6], true), r[0]).to.equal(o.localShare.previous.byLevel[r[0]].count);
    }
    expect(rows.map((r) => r[0])).to.deep.equal(Object.keys(o.localShare.byLevel));

    const figures = parseCsv((await csv('period=2021&buyer=all&table=figures')).text.slice(1), ';');
    const byCode = new Map(figures.slice(1).map((r) => [r[0], r]));
    expect(num(byCode.get('procurements')![2], true)).to.equal(o.procurements.count);
    expect(num(byCode.get('contracts')![2], true)).to.equal(o.contracts.count);
    for (const [code, f] of [['localShare.count', o.localShare.count], ['localShare.value', o.localShare.value], ['smeShare', o.smeShare], ['csrShare.social', o.csrShare.social]] as const) {
      const r = byCode.get(code)!;
      expect([num(r[2], true), num(r[3], true), num(r[4], true), num(r[5], true)], code).to.deep.equal([f.numerator, f.denominator, f.unknown, f.share]);
    }
    // A share with decimals has a decimal comma: 2 of 3 known sizes are SMEs.
    expect(byCode.get('smeShare')![5]).to.match(/^0,66+7?$/);
  });

  it('RFC 4180 (`,`, no BOM) quotes the buyer name with its quotes, `;` and comma; the buyer breakdown equals the API', async () => {
    const b = await json('/api/stats/breakdown/buyer?period=2021&buyer=all');
    const { text } = await csv('period=2021&buyer=all&table=breakdown-buyer&format=rfc4180');
    expect(text.charCodeAt(0)).to.not.equal(0xfeff);
    expect(text).to.contain('"Köpare ""Citat""; Bolag, AB"');
    const [head, ...rows] = parseCsv(text, ',');
    expect(head.length).to.equal(11);
    expect(rows.map((r) => r[1])).to.include(ODD.name);
    for (const r of rows) {
      const want = b.rows.find((x: { key: string }) => x.key === r[0]);
      expect(num(r[2], false), r[0]).to.equal(want.contracts);
      expect(num(r[3], false), r[0]).to.equal(want.byLevel.home.count);
      expect(num(r[10], false), r[0]).to.equal(want.localShare.share);
    }
    expect(rows.length).to.equal(b.rows.length);
    // The CPV division table: labels with commas are quoted in this format.
    const cpv = parseCsv((await csv('period=2021&buyer=all&table=breakdown-cpv-division&format=rfc4180')).text, ',');
    expect(cpv.slice(1).map((r) => r[0]).sort()).to.deep.equal(['30', '45', '90']);
  });

  it('the categories and young-firm tables equal GET /api/stats/categories and /young-firms', async () => {
    const c = await json('/api/stats/categories?period=2021&buyer=all');
    const rows = parseCsv((await csv('period=2021&buyer=all&table=categories&format=rfc4180')).text, ',').slice(1);
    expect(rows.map((r) => [r[0], num(r[2], false), num(r[4], false), num(r[6], false), r[10]])).to.deep.equal(
      c.rows.map((r: { division: string; contracts: { numerator: number }; value: { numerator: number }; localFirms: { numerator: number }; attention: boolean }) =>
        [r.division, r.contracts.numerator, r.value.numerator, r.localFirms.numerator, r.attention ? 'Ja' : 'Nej']));
    const y = await json('/api/stats/young-firms?period=2021&buyer=all');
    const young = parseCsv((await csv('period=2021&buyer=all&table=young-firms')).text.slice(1), ';').slice(1);
    for (const r of young) {
      expect([num(r[5], true), num(r[6], true)], r[0]).to.deep.equal([y.wins.byLevel[r[0]].numerator, y.wins.byLevel[r[0]].denominator]);
    }
  });

  it('line breaks and formula-like text are escaped', () => {
    const table: StatTable = {
      id: 'x', title: 'x', columns: [{ key: 'a', label: 'A;1', kind: 'text' }, { key: 'b', label: 'B', kind: 'share' }],
      rows: [['rad ett\nrad två', 0.5], ['=SUM(A1)', null], ['"citat"', 1]],
    };
    const sv = toCsv(table);
    expect(sv).to.equal('\uFEFF"A;1";B\r\n"rad ett\nrad två";0,5\r\n\'=SUM(A1);\r\n"""citat""";1\r\n');
    expect(parseCsv(sv.slice(1), ';')).to.deep.equal([['A;1', 'B'], ['rad ett\nrad två', '0,5'], ["'=SUM(A1)", ''], ['"citat"', '1']]);
    expect(toCsv(table, 'rfc4180')).to.equal('A;1,B\r\n"rad ett\nrad två",0.5\r\n\'=SUM(A1),\r\n"""citat""",1\r\n');
  });

  it('the workbook has a sheet per table, numbers as numbers, equal to the API', async () => {
    const o = await json('/api/stats/overview?period=2021&buyer=2120001447');
    const b = await json('/api/stats/breakdown/contract-type?period=2021&buyer=2120001447');
    const res = await fetch(`${t.app.url}/staff/stats/export.xlsx?period=2021&buyer=212000-1447`, { headers: { authorization: `Bearer ${t.app.adminToken}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const names = wb.worksheets.map((w) => w.name);
    expect(names).to.include.members(['about', 'figures', 'levels', 'rules', 'size', 'competition', 'capabilities', 'breakdown-contract-type', 'breakdown-buyer']);
    const levels = wb.getWorksheet('levels')!;
    expect(levels.getRow(1).getCell(1).value).to.equal('Kod');
    const rows = new Map<string, ExcelJS.Row>();
    levels.eachRow((row, n) => { if (n > 1) rows.set(String(row.getCell(1).value), row); });
    for (const [level, want] of Object.entries(o.localShare.byLevel) as [string, { count: number; value: number; countShare: number | null }][]) {
      const row = rows.get(level)!;
      expect(row.getCell(3).value, level).to.equal(want.count);
      expect(row.getCell(4).value ?? null, level).to.equal(want.countShare);
      expect(row.getCell(5).value, level).to.equal(want.value);
    }
    expect(typeof rows.get('home')!.getCell(3).value).to.equal('number');
    expect(rows.get('home')!.getCell(4).numFmt).to.equal('0.0%');
    const types = wb.getWorksheet('breakdown-contract-type')!;
    const got: Record<string, number> = {};
    types.eachRow((row, n) => { if (n > 1) got[String(row.getCell(1).value)] = row.getCell(3).value as number; });
    expect(got).to.deep.equal(Object.fromEntries(b.rows.map((r: { key: string; contracts: number }) => [r.key, r.contracts])));
    const about = wb.getWorksheet('about')!;
    expect(about.getRow(2).getCell(2).value).to.equal('Lerums kommun 2120001447');
  });

  it('the page shows the figures with definitions and unknowns; a bad period is a form error (400)', async () => {
    const res = await api(t.app, 'GET', '/staff/stats?period=2021&buyer=all');
    expect(res.status).to.equal(200);
    expect(res.body).to.contain('Okänd ort: 2 av 4 kontrakt.').and.contain('Definition:').and.contain('<svg role="img"');
    expect(res.body).to.not.match(/<style|\sstyle=/);
    const bad = await api(t.app, 'GET', '/staff/stats?period=2021-13');
    expect(bad.status).to.equal(400);
    expect(bad.body).to.contain('Ange en period');
    expect((await api(t.app, 'GET', '/staff/stats/export.csv?period=2021&table=nope')).status).to.equal(404);
    expect((await api(t.app, 'GET', '/staff/stats/export.csv?period=nope')).status).to.equal(400);
    const report = await api(t.app, 'GET', '/staff/stats/report?year=2021&buyer=all');
    expect(report.status).to.equal(200);
    expect(report.body).to.contain('Uppföljning av leverantörsstatistik 2021');
  });
});
