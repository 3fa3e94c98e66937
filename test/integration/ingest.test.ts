// Ingest over the real stack: files and HTTP into SQLite, idempotent, with
// updates, change and award notices, and bad files refused without a trace.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { ingestSource, ingestSources } from '../../src/ingest/ingest.service.ts';
import { bufferSource, expandPaths, fileSource } from '../../src/ingest/sources.ts';
import { api, eventually, startTestApp, type TestApp } from '../helpers/app.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const root = new URL('../..', import.meta.url).pathname;
const options = { format: 'auto' as const, maxBytes: 10 * 1024 * 1024 };

async function count(t: TestApp, table: 'notices' | 'outbox' | 'notice_changes' | 'awards') {
  const row = await t.app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('ingest', function () {
  this.timeout(120_000);
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp({ WORKERS: 'off' })));
  afterEach(async () => t?.stop());

  it('stores every eForms notice once; a second run changes nothing', async function () {
    const dir = requireSharedData(this, 'eforms');
    const sources = await Promise.all((await expandPaths([dir])).map(fileSource));
    const first = await ingestSources(t.app.db, sources, options);
    // 40 eForms files, one of them invalid on purpose, plus 6 legacy TED XML files.
    expect(first.totals.rejectedFiles).to.equal(7);
    expect(first.totals.new + first.totals.updated).to.equal(39);
    const legacy = first.files.filter((f) => f.file.includes('ted-legacy-r209'));
    expect(legacy.every((f) => f.error?.startsWith('unsupported format'))).to.equal(true);
    expect(first.files.find((f) => f.file.endsWith('INVALID_cn_24_empty.xml'))!.error).to.match(/title|CPV/i);

    const notices = await count(t, 'notices');
    const outbox = await count(t, 'outbox');
    const second = await ingestSources(t.app.db, sources, options);
    expect(second.totals).to.include({ new: 0, updated: 0, unchanged: 39 });
    expect(await count(t, 'notices')).to.equal(notices);
    expect(await count(t, 'outbox')).to.equal(outbox);
  });

  it('a change notice updates its procedure\'s notice and records a material change', async function () {
    const dir = requireSharedData(this, 'eforms', 'sdk-examples');
    const original = await ingestSource(t.app.db, await fileSource(join(dir, 'cn_24_open.xml')), options);
    expect(original.new).to.equal(1);
    const change = await ingestSource(t.app.db, await fileSource(join(dir, 'change-cn_24_open_dates.xml')), options);
    expect(change).to.include({ new: 0, updated: 1 });
    expect(await count(t, 'notices')).to.equal(1);

    const notice = await t.app.db.selectFrom('notices').selectAll().executeTakeFirstOrThrow();
    expect(notice.deadline).to.equal('2020-06-12T11:00:00.000Z'); // 12:00+01:00
    expect(notice.kind).to.equal('tender');
    expect(notice.revision).to.equal(2);
    const changes = await t.app.db.selectFrom('notice_changes').selectAll().execute();
    expect(changes).to.have.length(1);
    expect(JSON.parse(changes[0].fields)).to.include('deadline');
    expect(changes[0].material).to.equal(1);
    expect(changes[0].source_ref).to.equal('eforms:71397268-6c47-4f2f-8ab0-f41a26138f81');
  });

  it('an award notice attaches its awards to the notice of its procedure, or stands alone', async () => {
    const buyer = { name: 'Lerums kommun', orgNumber: '212000-1447' };
    const tender = await api(t.app, 'POST', '/api/notices', {
      sourceId: 'LK-1', procedureId: 'LK-2026-7', title: 'Snöröjning', buyer, cpv: { main: '90620000' },
    });
    expect(tender.status).to.equal(201);
    const award = {
      sourceId: 'LK-1-award', procedureId: 'LK-2026-7', kind: 'award', title: 'Tilldelning: snöröjning', buyer, cpv: { main: '90620000' },
      awards: [{ winner: { name: 'Stenkullens Mark AB', size: 'small' }, value: { amount: 1200000, currency: 'SEK' }, tendersReceived: 4 }],
    };
    const attached = await api(t.app, 'POST', '/api/notices', award);
    expect(attached.status).to.equal(200);
    expect(attached.body.outcome).to.equal('updated');
    expect(attached.body.notice).to.include({ id: tender.body.notice.id, kind: 'tender', title: 'Snöröjning' });
    expect(attached.body.notice.awards[0].winner.name).to.equal('Stenkullens Mark AB');
    expect(await count(t, 'notices')).to.equal(1);
    expect(await count(t, 'awards')).to.equal(1);

    const again = await api(t.app, 'POST', '/api/notices', award);
    expect(again.body.outcome).to.equal('unchanged');

    const orphan = await api(t.app, 'POST', '/api/notices', { ...award, sourceId: 'X-award', procedureId: 'UNKNOWN' });
    expect(orphan.status).to.equal(201);
    expect(orphan.body.notice.kind).to.equal('award');
  });

  it('an older version of a notice does not overwrite a newer one', async () => {
    const base = { source: 'eforms', sourceId: 'N-1', title: 'Version två', buyer: { name: 'K' }, cpv: { main: '90620000' } };
    expect((await api(t.app, 'POST', '/api/notices', { ...base, version: '02' })).status).to.equal(201);
    const older = await api(t.app, 'POST', '/api/notices', { ...base, version: '01', title: 'Version ett' });
    expect(older.body.outcome).to.equal('unchanged');
    expect(older.body.notice.title).to.equal('Version två');
  });

  it('imports the UHM 2021 statistics into the database, winners attached to their procurements', async function () {
    // ≈26,000 records: about 30 s on SQLite; PostgreSQL pays a round trip per statement
    // (170 s alone on the 2-core machine, more than 180 s beside CI's other work).
    this.timeout(600_000);
    const procurements = requireSharedData(this, 'sustainability', 'uhm-statistikdatabas-2021', 'number_of_procurements.csv.gz');
    const tenders = requireSharedData(this, 'sustainability', 'uhm-statistikdatabas-2021', 'contracted_tenders_with_suppliers_2021-01_to_2021-09.csv.gz');
    // Expected numbers from a separate, plain reading of the CSV.
    type Row = Record<string, string>;
    const read = (path: string) => parse(gunzipSync(readFileSync(path)), { columns: true, bom: true }) as Row[];
    const known = (r: Row) => /^\d{8} /.test(r['Huvudsaklig CPV-kod']) && !r['Huvudsaklig CPV-kod'].startsWith('00000000');
    const procurementRows = read(procurements).filter(known);
    const tenderRows = read(tenders).filter(known);
    const ids = new Set(procurementRows.map((r) => r['Upphandlings-ID']));
    const lerumIds = new Set(procurementRows.filter((r) => r['Organisationsnummer för köpare'].replace('-', '') === '2120001447').map((r) => r['Upphandlings-ID']));
    const newFromTenders = new Set(tenderRows.map((r) => r['Upphandlings-ID']).filter((id) => !ids.has(id)));

    const first = await ingestSource(t.app.db, await fileSource(procurements), options);
    expect(first.error).to.equal(null);
    expect(await count(t, 'notices')).to.equal(ids.size);
    const lerum = await t.app.db
      .selectFrom('notices').innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('buyers.org_number', '=', '2120001447').executeTakeFirstOrThrow();
    expect(Number(lerum.n)).to.equal(lerumIds.size);

    const second = await ingestSource(t.app.db, await fileSource(tenders), options);
    expect(second.error).to.equal(null);
    expect(second.new).to.equal(newFromTenders.size);
    expect(await count(t, 'notices')).to.equal(ids.size + newFromTenders.size);
    expect(await count(t, 'awards')).to.equal(tenderRows.length);

    const again = await ingestSource(t.app.db, await fileSource(tenders), options);
    expect(again).to.include({ new: 0, updated: 0 });
  });

  it('follows the six OCDS stages of one procedure as one notice', async function () {
    const dir = requireSharedData(this, 'ocds', 'fictional-example-1.1');
    const files = (await expandPaths([dir])).filter((f) => /-0\d-[a-zA-Z]+\.json$/.test(f)).sort();
    expect(files).to.have.length(6);
    for (const file of files) expect((await ingestSource(t.app.db, await fileSource(file), options)).error, file).to.equal(null);
    const notices = await t.app.db.selectFrom('notices').selectAll().execute();
    expect(notices).to.have.length(1);
    expect(notices[0].source_id).to.equal('ocds-213czf-000-00001');
    expect(notices[0].revision).to.be.greaterThan(1);
    expect(await count(t, 'notice_changes')).to.equal(notices[0].revision - 1);
  });

  describe('bad files', () => {
    const good = Buffer.from(
      readFileSync(new URL('../fixtures/eforms/lerum-cn.xml', import.meta.url)),
    );
    const cases: [string, Buffer, RegExp][] = [
      ['truncated XML', good.subarray(0, Math.floor(good.length / 2)), /malformed|truncated/i],
      ['a DOCTYPE with entities (billion laughs)', Buffer.from('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><ContractNotice>&lol2;</ContractNotice>'), /DOCTYPE|entit/i],
      ['an external entity (XXE)', Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ContractNotice>&xxe;</ContractNotice>'), /DOCTYPE|entit/i],
      ['a wrong root element', Buffer.from('<?xml version="1.0"?><Invoice><ID>1</ID></Invoice>'), /root|unsupported/i],
      ['truncated JSON', Buffer.from('{"releases": [{"ocid": "ocds-1", "tender": {"title": "x"'), /malformed|truncated|JSON/i],
      ['JSON that is not OCDS', Buffer.from('{"hello": "world"}'), /not OCDS/i],
      ['a CSV that is not UHM statistics', Buffer.from('a,b,c\n1,2,3\n'), /unsupported|header|column/i],
      ['an empty file', Buffer.alloc(0), /empty/i],
    ];
    for (const [name, bytes, reason] of cases) {
      it(`rejects ${name} with a reason and stores nothing`, async () => {
        const result = await ingestSource(t.app.db, bufferSource(name, bytes), options);
        expect(result.error, JSON.stringify(result)).to.match(reason);
        expect(await count(t, 'notices')).to.equal(0);
        expect(await count(t, 'outbox')).to.equal(0);
      });
    }

    it('rejects an oversize file and goes on with the rest of the run', async () => {
      const summary = await ingestSources(t.app.db, [bufferSource('big.xml', good), bufferSource('ok.xml', good)], {
        ...options,
        maxBytes: good.length - 1,
      });
      expect(summary.files[0].error).to.match(/too large/);
      const run = await ingestSources(t.app.db, [bufferSource('bad.xml', good.subarray(0, 100)), bufferSource('ok.xml', good)], options);
      expect(run.totals).to.include({ new: 1, rejectedFiles: 1 });
      expect(await count(t, 'notices')).to.equal(1);
    });
  });

  describe('POST /api/import', () => {
    const xml = readFileSync(new URL('../fixtures/eforms/lerum-cn.xml', import.meta.url));
    const post = (body: Buffer | string, type: string) =>
      fetch(`${t.app.url}/api/import`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${t.app.adminToken}` }, body: typeof body === 'string' ? body : new Uint8Array(body) });

    it('imports a notice, which is then matched like a published one', async () => {
      const firm = await api(t.app, 'POST', '/api/companies', {
        orgNumber: '556016-0680', name: 'Städbolaget AB', email: 'a@b.example', municipalityCode: '1441', categories: ['90910000'],
      });
      await api(t.app, 'POST', `/api/companies/${firm.body.id}/subscriptions`, { name: 'Städ', cpv: ['90910000'] });
      t.app.startWorkers();
      const res = await post(xml, 'application/xml');
      const body = (await res.json()) as { totals: Record<string, number> };
      expect(res.status, JSON.stringify(body)).to.equal(200);
      expect(body.totals).to.include({ new: 1, rejected: 0 });
      const matches = await eventually(async () => {
        const m = await api(t.app, 'GET', `/api/companies/${firm.body.id}/matches`);
        const items = m.body.items ?? m.body; // a page of matches ({ items, total, … }) or, before paging, the list
        return items.length > 0 && items;
      });
      expect(matches[0].title).to.equal('Lokalvård i Lerums kommuns förskolor');
      const again = (await (await post(xml, 'text/xml')).json()) as { totals: Record<string, number> };
      expect(again.totals).to.include({ unchanged: 1 });
    });

    it('refuses other content types with 415 and bad files with 422, storing nothing', async () => {
      expect((await post(xml, 'text/plain')).status).to.equal(415);
      const bad = await post(xml.subarray(0, 200), 'application/xml');
      expect(bad.status).to.equal(422);
      expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('import_rejected');
      expect(await count(t, 'notices')).to.equal(0);
    });
  });

  describe('npm run ingest', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', ...args], {
        cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: t.app.config.databaseUrl },
      });

    it('--dry-run --json prints the notices as NDJSON and stores nothing', () => {
      const run = cli('test/fixtures/eforms/lerum-cn.xml', '--dry-run', '--json');
      expect(run.status, run.stderr).to.equal(0);
      const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({ source: 'eforms', kind: 'tender', title: 'Lokalvård i Lerums kommuns förskolor' });
      expect(lines[0].cpv.main).to.equal('90911200');
    });

    it('stores, summarises and exits 1 when a file was rejected', () => {
      const run = cli('test/fixtures/eforms', '--format', 'eforms');
      expect(run.status, run.stderr + run.stdout).to.equal(1);
      expect(run.stdout).to.match(/1 new, 0 updated, 0 unchanged, 1 rejected/);
      expect(run.stdout).to.match(/rejected .*truncated-cn\.xml/);
      const again = cli('test/fixtures/eforms/lerum-cn.xml');
      expect(again.status).to.equal(0);
      expect(again.stdout).to.match(/0 new, 0 updated, 1 unchanged, 0 rejected/);
    });

    it('exits 2 on a usage error', () => {
      expect(cli().status).to.equal(2);
      expect(cli('x.xml', '--format', 'pdf').status).to.equal(2);
    });
  });
});
