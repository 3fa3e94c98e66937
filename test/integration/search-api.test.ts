// GET /api/search over the real stack: notices published over HTTP reach the
// index through the outbox and the index job; bad input is a 400 naming the
// parameter; withdrawn notices leave; `npm run reindex` rebuilds; and with an
// unreachable Meilisearch, searches answer from the database's index (FTS5,
// or PostgreSQL's with TEST_DATABASE=postgres) while index jobs retry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { CompiledQuery } from 'kysely';
import { pino } from 'pino';
import { Runtime } from '../../src/runtime.ts';
import { loadConfig } from '../../src/config.ts';
import { SearchService } from '../../src/search/search.service.ts';
import { emptyQuery } from '../../src/search/search.types.ts';
import { api, App, eventually, startTestApp, type TestApp } from '../helpers/app.ts';
import { deletePrefix, freePort, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { onPostgres, sqliteOnly, testDatabase, type TestDatabase } from '../helpers/database.ts';

/** The index in the test's database: what X-Search-Backend and reindex call it, and how the log names it. */
const DATABASE_INDEX = onPostgres ? { backend: 'postgres', log: 'PostgreSQL' } : { backend: 'fts5', log: 'FTS5' };

const day = 24 * 3600 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
const lerum = { name: 'Lerums kommun', orgNumber: '212000-1447', nuts: 'SE232' };

const NOTICES = [
  { sourceId: 'S-1', title: 'Städtjänster för förskolor i Lerums kommun', description: 'Lokalvård i 14 förskolor. Sysselsättningskrav för personer långt från arbetsmarknaden.',
    buyer: lerum, cpv: { main: '90911200' }, deadline: inDays(25), procedure: 'open', estimatedValue: { amount: 4_200_000, currency: 'SEK' },
    criteria: { strategic: ['soc-obj'], social: ['opp'], requirements: ['employment-requirement'] } },
  { sourceId: 'S-2', title: 'Snöröjning och halkbekämpning 2027–2029', description: 'Vinterväghållning av kommunala gator, gång- och cykelvägar i Lerum, Gråbo och Floda.',
    buyer: lerum, cpv: { main: '90620000' }, deadline: inDays(21), procedure: 'open', estimatedValue: { amount: 6_000_000, currency: 'SEK' },
    criteria: { green: ['clim-mitig'] } },
  { sourceId: 'S-3', title: 'Skolmåltider – mejeriprodukter', description: 'Leverans av mjölk, fil och ost till skolkök.',
    buyer: lerum, cpv: { main: '15500000' }, deadline: inDays(-3), procedure: 'open', estimatedValue: { amount: 2_100_000, currency: 'SEK' },
    criteria: { smeSuitable: true } },
  { sourceId: 'S-4', title: 'Takbyte på Partille simhall', description: 'Rivning av befintligt tak och nytt papptak.',
    buyer: { name: 'Partille kommun' }, cpv: { main: '45261210' }, deadline: inDays(27), procedure: 'restricted', placeOfPerformance: { nuts: ['SE232'], town: 'Partille' } },
];

describe('GET /api/search', function () {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const search = (query: string) => api(t.app, 'GET', `/api/search${query}`);

  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    for (const n of NOTICES) {
      const res = await api(t.app, 'POST', '/api/notices', n);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids[n.sourceId] = res.body.notice.id;
    }
    // The index job has run for every notice.
    await eventually(async () => (await search('?pageSize=10')).body.total === NOTICES.length);
  });
  after(async () => t?.stop());

  it('finds notices by Swedish words, with highlighted title and snippet, and says which index answered', async () => {
    const res = await search(`?q=${encodeURIComponent('städning')}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-search-backend')).to.equal(DATABASE_INDEX.backend);
    expect(Object.keys(res.body)).to.have.members(['hits', 'total', 'totalExact', 'page', 'pageSize', 'facets']);
    // The cleaning notice by its title; the snow clearing by its category's name ("… städning och miljö"), below it.
    expect(res.body).to.deep.include({ total: 2, totalExact: true, page: 1, pageSize: 20 });
    expect(res.body.hits[0]).to.deep.include({ id: ids['S-1'], title: NOTICES[0].title, status: 'open', kind: 'tender', cpv: '90911200' });
    expect(res.body.hits[0].titleHtml).to.equal('<mark>Städtjänster</mark> för förskolor i Lerums kommun');
    expect(res.body.hits[0].buyer).to.deep.include({ name: 'Lerums kommun', orgNumber: '2120001447' });
    for (const q of ['skolmåltider', 'snöröjning', 'snöröjningen', 'SKOLMÅLTIDER']) {
      const hits = (await search(`?q=${encodeURIComponent(q)}`)).body.hits;
      expect(hits.map((h: { title: string }) => h.title), q).to.have.length(1);
    }
    const snippet = (await search(`?q=${encodeURIComponent('sysselsättningskrav')}`)).body.hits[0].snippet;
    expect(snippet).to.include('<mark>Sysselsättningskrav</mark>');
  });

  it('filters and counts facets, with names for buyers and CPV divisions', async () => {
    const res = await search('?cpv=90&buyer=212000-1447&region=1441,SE232&status=open&csr=social&sort=deadline');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.hits.map((h: { id: string }) => h.id)).to.deep.equal([ids['S-1']]);
    const all = await search('?pageSize=10');
    expect(all.body.facets.status).to.deep.equal([{ value: 'open', count: 3 }, { value: 'closed', count: 1 }]);
    const cpv = all.body.facets.cpv.find((f: { value: string }) => f.value === '90000000');
    expect(cpv).to.deep.equal({ value: '90000000', count: 2, label: 'Avlopp, avfall, städning och miljö' });
    expect(all.body.facets.buyer.map((f: { label: string }) => f.label)).to.have.members(['Lerums kommun', 'Partille kommun']);
    const partille = all.body.facets.region.find((f: { value: string }) => f.value === '1402');
    expect(partille).to.deep.equal({ value: '1402', count: 1, label: 'Partille kommun' });
    expect((await search('?procedure=restricted&kind=tender')).body.total).to.equal(1);
    expect((await search(`?valueMin=5000000&valueMax=7000000`)).body.hits.map((h: { id: string }) => h.id)).to.deep.equal([ids['S-2']]);
    expect((await search(`?deadlineTo=${new Date().toISOString().slice(0, 10)}`)).body.hits.map((h: { id: string }) => h.id)).to.deep.equal([ids['S-3']]);
    expect((await search('?status=closed')).body.hits.map((h: { id: string }) => h.id)).to.deep.equal([ids['S-3']]);
    expect((await search('?cpv=45000000&cpv=15500000-3')).body.total).to.equal(2);
  });

  it('pages', async () => {
    const first = await search('?sort=newest&pageSize=3');
    const second = await search('?sort=newest&pageSize=3&page=2');
    expect(first.body.hits).to.have.length(3);
    expect(second.body.hits).to.have.length(1);
    expect(new Set([...first.body.hits, ...second.body.hits].map((h: { id: string }) => h.id)).size).to.equal(4);
  });

  describe('bad input → 400 naming the parameter', () => {
    const cases: [string, string, string][] = [
      ['an unknown filter', '?colour=red', 'colour'],
      ['a bad date', '?deadlineFrom=tomorrow', 'deadlineFrom'],
      ['an impossible date', '?publishedTo=2026-02-30', 'publishedTo'],
      ['a range the wrong way round', '?deadlineFrom=2026-06-01&deadlineTo=2026-05-01', 'deadlineTo'],
      ['a negative page', '?page=-1', 'page'],
      ['a page that is not a number', '?page=two', 'page'],
      ['a page beyond the result cap', '?page=60&pageSize=20', 'page'],
      ['too large a page size', '?pageSize=101', 'pageSize'],
      ['q too long', `?q=${'a'.repeat(201)}`, 'q'],
      ['q with too many words', `?q=${Array.from({ length: 13 }, (_, i) => `w${i}`).join('+')}`, 'q'],
      ['an unknown status', '?status=pending', 'status.0'],
      ['a CPV code that is not one', '?cpv=12345678', 'cpv.0'],
      ['a CPV code with a wrong check digit', '?cpv=45214200-3', 'cpv.0'],
      ['an invalid organisationsnummer', '?buyer=212000-1448', 'buyer.0'],
      ['a region that is neither kommunkod nor NUTS', '?region=Lerum!', 'region.0'],
      ['a negative value', '?valueMin=-5', 'valueMin'],
      ['a value that is not a number', '?valueMax=lots', 'valueMax'],
      ['an unknown sort', '?sort=cheapest', 'sort'],
      ['an unknown CSR flag', '?csr=green', 'csr.0'],
      ['too many values', `?cpv=${Array.from({ length: 21 }, () => '45').join(',')}`, 'cpv'],
    ];
    for (const [what, query, param] of cases) {
      it(what, async () => {
        const res = await search(query);
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.code).to.equal('validation_failed');
        expect(res.body.error.message).to.include(param);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(param);
      });
    }
  });

  it('a withdrawn notice leaves the index with its next index job; a job for a deleted notice removes it; jobs are idempotent', async () => {
    const id = ids['S-4'];
    expect(await t.app.search.indexNotice(id)).to.equal('indexed');
    expect(await t.app.search.indexNotice(id)).to.equal('indexed');
    expect((await search('?q=takbyte')).body.total).to.equal(1);
    await t.app.db.updateTable('notices').set({ status: 'withdrawn', revision: 2 }).where('id', '=', id).execute();
    await t.app.producer.addBulk('index', [{ noticeId: id, revision: 2 }]);
    await eventually(async () => (await search('?q=takbyte')).body.total === 0);
    expect(await t.app.search.indexNotice('01NOTANOTICE0000000000000')).to.equal('removed');
    await t.app.db.updateTable('notices').set({ status: 'active', revision: 3 }).where('id', '=', id).execute();
    await t.app.producer.addBulk('index', [{ noticeId: id, revision: 3 }]);
    await eventually(async () => (await search('?q=takbyte')).body.total === 1);
  });

  it('npm run reindex rebuilds the index from the database', async function () {
    this.timeout(30_000);
    const db = t.app.db;
    await db.deleteFrom('notices').where('id', '=', ids['S-3']).execute().catch(async () => {
      // Children reference it; withdrawing is what Brygga does.
      await db.updateTable('notices').set({ status: 'withdrawn' }).where('id', '=', ids['S-3']).execute();
    });
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.app.config.databaseUrl, LOG_LEVEL: 'silent' };
    delete env.MEILI_URL;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/reindex.ts', '--json'], {
      cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8', env,
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).to.deep.include({ [DATABASE_INDEX.backend]: 3 });
    expect((await search('?q=skolmåltider')).body.total).to.equal(0);
    expect((await search('')).body.total).to.equal(3);
  });

  it('npm run import:cpv rebuilds the index: notices stored before are found by their categories\' full names at once', async function () {
    this.timeout(30_000);
    expect((await search('?q=roofing')).body.total).to.equal(0); // only the division's name so far ("Construction work")
    const csv = join(mkdtempSync(join(tmpdir(), 'brygga-cpv-')), 'cpv.csv');
    writeFileSync(csv, 'code,label_sv,label_en\n45261210,Takläggning,Roofing work\n90911200,Städning av byggnader,Building-cleaning services\n');
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.app.config.databaseUrl, LOG_LEVEL: 'silent' };
    delete env.MEILI_URL;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-cpv.ts', csv], {
      cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8', env,
    });
    rmSync(dirname(csv), { recursive: true, force: true });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('imported 2 CPV codes').and.contain(`rebuilt the search index: ${DATABASE_INDEX.backend} 3 notices`);
    const found = (await search('?q=roofing')).body;
    expect(found.hits.map((h: { title: string }) => h.title)).to.deep.equal(['Takbyte på Partille simhall']);
  });

  it('an FTS5 index whose layout changed is dropped and filled again from the database at start (SQLite only: FTS5)', async function () {
    sqliteOnly.call(this);
    await t.app.db.executeQuery(CompiledQuery.raw("UPDATE search_meta SET value = 'old' WHERE key = 'layout'"));
    const service = new SearchService(t.app.db, pino({ level: 'silent' }));
    await service.init();
    expect(await service.fts.count()).to.equal(3);
    expect((await service.search(emptyQuery({ q: 'snöröjning' }))).total).to.equal(1);
  });

  it('finds real Swedish eForms notices; Ångström is not Angstrom', async function () {
    const lab = requireSharedData(this, 'eforms', 'ted-converted', '21-364236-001-EXP.xml');
    const jrc = requireSharedData(this, 'eforms', 'ted-published', '2023-OJS167-00524889.xml');
    for (const file of [lab, jrc]) {
      const res = await fetch(`${t.app.url}/api/import`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${t.app.adminToken}` }, body: readFileSync(file) });
      expect(res.status, await res.text()).to.equal(200);
    }
    await eventually(async () => (await search('?q=laboratorieinredning')).body.total === 1);
    expect((await search(`?q=${encodeURIComponent('Ångström')}`)).body.total).to.equal(1);
    expect((await search('?q=angstrom')).body.total).to.equal(0);
    await eventually(async () => (await search(`?q=${encodeURIComponent('strålskydd arbetsmiljö')}`)).body.total === 1);
    expect((await search('?q=stralskydd')).body.total).to.equal(0);
  });
});

describe('GET /api/search agrees with subscriptions and alerts', function () {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const search = (query: string) => api(t.app, 'GET', `/api/search${query}`);
  const found = async (query: string) => (await search(query)).body.hits.map((h: { id: string }) => h.id);
  const partille = { name: 'Partille kommun' };
  // Published over HTTP as officers and feeds would; "now" is the real clock.
  const NOTICES: Record<string, object> = {
    partille: { sourceId: 'AG-1', title: 'Ventilation i Partille simhall', buyer: partille, cpv: { main: '42520000' }, deadline: inDays(30),
      publishedAt: inDays(-20), placeOfPerformance: { nuts: ['SE232'], town: 'Partille' } },
    kiruna: { sourceId: 'AG-2', title: 'Ventilation i Kiruna stadshus', buyer: { name: 'Kiruna kommun', nuts: 'SE332' }, cpv: { main: '42520000' },
      deadline: inDays(30), publishedAt: inDays(-1), placeOfPerformance: { nuts: ['SE332'], town: 'Kiruna' } },
    statistics: { source: 'uhm', sourceId: 'UHM-AG-3', title: 'Ventilation i Lerums skolor', buyer: lerum, cpv: { main: '42520000' }, deadline: null,
      publishedAt: inDays(-5) },
    awarded: { sourceId: 'AG-4', title: 'Hissar i Lerums äldreboenden', buyer: lerum, cpv: { main: '50750000' }, deadline: inDays(20),
      publishedAt: inDays(-2), awards: [{ winner: { name: 'Hiss AB' } }] },
    old: { sourceId: 'AG-5', title: 'Tolktjänster', buyer: lerum, cpv: { main: '79540000' }, deadline: null, publishedAt: inDays(-90) },
    recent: { sourceId: 'AG-6', title: 'Översättning av webbplatsen', buyer: lerum, cpv: { main: '79530000' }, deadline: null, publishedAt: inDays(-5) },
  };

  before(async function () {
    this.timeout(60_000);
    t = await startTestApp();
    for (const [name, n] of Object.entries(NOTICES)) {
      const res = await api(t.app, 'POST', '/api/notices', n);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids[name] = res.body.notice.id;
    }
    await eventually(async () => (await search('?pageSize=10')).body.total === Object.keys(NOTICES).length);
  });
  after(async () => t?.stop());

  it('region=local finds a notice performed in Partille, not one in Kiruna', async () => {
    const res = await search('?region=local');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const local = res.body.hits.map((h: { id: string }) => h.id);
    expect(local).to.include(ids.partille);
    expect(local).not.to.include(ids.kiruna);
    expect(await found('?region=LOCAL,SE332')).to.include.members([ids.partille, ids.kiruna]);
  });

  for (const region of ['XX9', '9999', 'banana', 'SE4', 'loc']) {
    it(`an unknown region (${region}) is a 400 naming the parameter and the allowed forms`, async () => {
      const res = await search(`?region=${region}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.message).to.include('region').and.include('local').and.include('kommunkod').and.include('NUTS');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('region.0');
    });
  }

  it('status=open is what alerts call open: no statistics record, nothing awarded, nothing old without a deadline', async () => {
    const open = await found('?status=open');
    expect(open).to.have.members([ids.partille, ids.kiruna, ids.recent]);
    expect(await found('?status=closed')).to.have.members([ids.statistics, ids.old]);
    expect(await found('?status=awarded')).to.deep.equal([ids.awarded]);
    const all = await search('');
    expect(all.body.facets.status).to.deep.equal([{ value: 'open', count: 3 }, { value: 'closed', count: 2 }, { value: 'awarded', count: 1 }]);
    const status = Object.fromEntries(all.body.hits.map((h: { id: string; status: string }) => [h.id, h.status]));
    expect(status[ids.statistics]).to.equal('closed');
    expect(status[ids.recent]).to.equal('open');
  });

  it('without words, open notices in the local area come first', async () => {
    // The newest are Kiruna (1 day) and the awarded one (2 days); Partille is 20 days old.
    expect((await found('')).slice(0, 3)).to.deep.equal([ids.recent, ids.partille, ids.kiruna]);
  });
});

describe('GET /api/search with Meilisearch unreachable', function () {
  let app: App;
  let dir: string;
  let database: TestDatabase | undefined;
  let prefix: string;
  let redisUrl: string;
  const lines: string[] = [];

  before(async function () {
    this.timeout(30_000);
    redisUrl = (await testRedis()).url;
    dir = mkdtempSync(join(tmpdir(), 'brygga-test-'));
    database = await testDatabase(dir);
    prefix = uniquePrefix('search');
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', DATABASE_URL: database.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix,
      MAIL_OUTBOX_DIR: join(dir, 'outbox'), SEED_DEMO: 'false', SECRET_KEY: 'test-secret-test-secret-test-secret-0123', QUEUE_BACKOFF_MS: '100',
      // Nothing listens there.
      MEILI_URL: `http://127.0.0.1:${await freePort()}`, MEILI_KEY: 'test-key',
    });
    app = await App.start(await Runtime.start(config, pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) })));
  });
  after(async () => {
    await app?.stop();
    await deletePrefix(redisUrl, prefix);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the database\'s index and says so in a header and the log; the index job retries and the notice waits for Meilisearch', async function () {
    this.timeout(30_000);
    expect(app.search.backend).to.equal('meilisearch');
    const res = await api(app, 'POST', '/api/notices', NOTICES[1]);
    expect(res.status).to.equal(201);
    const id = res.body.notice.id;
    const job = await eventually(async () => {
      const j = await app.producer.queue('index').getJob(`index-${id}-1`);
      return j && j.attemptsMade >= 2 ? j : undefined;
    });
    expect(await job.getState()).to.be.oneOf(['delayed', 'waiting', 'active']);
    expect(job.failedReason).to.match(/Request to .* has failed/);
    // The database's index got it all the same, and knows Meilisearch still has to.
    expect(await app.search.fts.pendingIds(10)).to.deep.equal([id]);

    const found = await api(app, 'GET', `/api/search?q=${encodeURIComponent('snöröjning')}`);
    expect(found.status).to.equal(200);
    expect(found.headers.get('x-search-backend')).to.equal(`${DATABASE_INDEX.backend}-fallback`);
    expect(found.body.hits.map((h: { id: string }) => h.id)).to.deep.equal([id]);
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).to.include(`meilisearch unreachable: answering searches from ${DATABASE_INDEX.log}`);
    expect(warnings.some((m: string) => m.startsWith(`searches answered from ${DATABASE_INDEX.log}`))).to.equal(true);
  });
});
