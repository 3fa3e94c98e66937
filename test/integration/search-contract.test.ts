// One contract for every search backend: the same notices, the same
// questions, the same answers. It runs against SQLite FTS5 always, against
// PostgreSQL full-text search whenever the test server answers (TEST_POSTGRES_URL,
// else this machine's `test` database; in CI it must), and against
// Meilisearch whenever MEILI_URL (and MEILI_KEY when it needs one) is set;
// a run that cannot be made is reported as skipped, with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { FtsSearchIndex } from '../../src/search/fts5.ts';
import { MeiliSearchIndex } from '../../src/search/meilisearch.ts';
import { DEFAULT_LOCAL_AREA } from '../../src/domain/regions.ts';
import { RESULT_CAP, emptyQuery, type SearchDocument, type SearchIndex, type SearchQuery } from '../../src/search/search.types.ts';
import { NOW, agreementDocuments, fixtureDocuments, ftsIndex, needPostgres, postgresIndex, postgresTitle } from './search-fixtures.ts';
import { sqliteOnly } from '../helpers/database.ts';

type Backend = { index: SearchIndex; cleanup(): Promise<void> };

/** The contract: any SearchIndex must pass it. */
function contract(start: () => Promise<Backend>) {
  let backend: Backend;
  let index: SearchIndex;
  const search = (q: Partial<SearchQuery>) => index.search(emptyQuery({ pageSize: 50, ...q }), NOW);
  const ids = async (q: Partial<SearchQuery>) => (await search(q)).hits.map((h) => h.id);
  const same = async (q: Partial<SearchQuery>, expected: string[]) => expect((await ids(q)).sort(), JSON.stringify(q)).to.deep.equal([...expected].sort());

  before(async function () {
    this.timeout(60_000);
    backend = await start();
    index = backend.index;
    await index.init();
    await index.upsert(fixtureDocuments());
  });
  after(async () => backend?.cleanup());

  describe('Swedish words', () => {
    it('"städning" finds Städtjänster (title) before städning in a description, and both before notices of a category named so', async () => {
      const result = await search({ q: 'städning' });
      expect(result.hits.map((h) => h.id).slice(0, 2)).to.deep.equal(['N01', 'N13']);
      // The rest are found by their category's name ("Avlopp, avfall, städning och miljö"), not by their own words.
      for (const hit of result.hits.slice(2)) expect(hit.titleHtml, hit.id).not.to.include('<mark>');
      // FTS5 marks the whole word; Meilisearch may mark only the prefix it matched.
      expect(result.hits[0].titleHtml).to.match(/^<mark>Städ(tjänster<\/mark>|<\/mark>tjänster) för förskolor i Lerums kommun$/);
      expect(result.hits[1].snippet).to.include('<mark>städ');
    });
    it('"skolmåltider" and "snöröjning" find their notices', async () => {
      expect(await ids({ q: 'skolmåltider' })).to.deep.equal(['N03']);
      expect(await ids({ q: 'snöröjning' })).to.deep.equal(['N02']);
      expect(await ids({ q: 'Snöröjningen' })).to.deep.equal(['N02']);
    });
    it('å, ä and ö are letters of their own: målning is not malning', async () => {
      expect(await ids({ q: 'målning' })).to.deep.equal(['N10']);
      expect(await ids({ q: 'malning' })).to.deep.equal(['N11']);
    });
    it('other accents are folded: cafe finds Café, and café too', async () => {
      expect(await ids({ q: 'cafe' })).to.deep.equal(['N09']);
      expect(await ids({ q: 'café' })).to.deep.equal(['N09']);
    });
    it('a word finds its forms and the compounds it is a part of: "skola" finds skola, skolmåltider and skolskjuts', async () => {
      await same({ q: 'skol' }, ['N03', 'N05', 'N10']);
      await same({ q: 'skolor' }, ['N03', 'N05', 'N10']);
    });
    it('every word must match', () => same({ q: 'skolskjuts lerum' }, ['N05']));
    it('a phrase matches word for word', () => same({ q: '"parker och grönytor"' }, ['N04']));
    it('a minus excludes', () => same({ q: 'skol -skolskjuts' }, ['N03', 'N10']));
    it('the title weighs more than the description', async () => {
      expect(await ids({ q: 'fönsterputs' })).to.deep.equal(['N12', 'N13']);
    });
    it('the snippet shows the matched words of the description, as escaped HTML', async () => {
      const [hit] = (await search({ q: 'sysselsättningskrav' })).hits;
      expect(hit.id).to.equal('N01');
      expect(hit.snippet).to.include('<mark>Sysselsättningskrav</mark>');
      const [escaped] = (await search({ q: 'stockholm' })).hits;
      expect(escaped.snippet).to.equal('Frukt och grönt &#60;b&#62;året&#60;/b&#62; runt.');
    });
    it('query syntax of either backend is taken as words, never as operators', async () => {
      for (const q of ['städ" OR title:*', 'NEAR(a b)', '{title} : x', 'kind = "award"', '-"', '"', '*', 'a AND', "'; DROP TABLE x; --"]) {
        const result = await search({ q });
        expect(result.hits, q).to.be.an('array');
      }
      expect(await ids({ q: 'städning OR snöröjning' })).to.deep.equal([]);
    });
  });

  describe('filters', () => {
    it('CPV at any level: a division finds its descendants, a group only its own', async () => {
      await same({ cpv: ['90000000'] }, ['N01', 'N02', 'N12', 'N13']);
      await same({ cpv: ['45000000'] }, ['N07', 'N08', 'N10']);
      await same({ cpv: ['45200000'] }, ['N08']);
      await same({ cpv: ['72212000'] }, ['N06']);
      await same({ cpv: ['15000000', '55000000'] }, ['N03', 'N09', 'N11', 'N14']);
    });
    it('buyer by id or organisationsnummer', async () => {
      await same({ buyer: ['B-PARTILLE'] }, ['N07', 'N08', 'N13']);
      await same({ buyer: ['2120001447'] }, ['N01', 'N02', 'N03', 'N04', 'N09', 'N10', 'N12']);
    });
    it('region: kommunkod, or NUTS at any level', async () => {
      await same({ region: ['1489'] }, ['N05']);
      await same({ region: ['SE1'] }, ['N14']);
      expect(await ids({ region: ['SE23'] })).to.have.length(13);
    });
    it('procedure and notice kind', async () => {
      await same({ procedure: ['restricted'] }, ['N05']);
      await same({ kind: ['planning', 'award'] }, ['N07', 'N08']);
    });
    it('status: open, closed (deadline passed), awarded', async () => {
      await same({ status: ['awarded'] }, ['N07']);
      await same({ status: ['closed'] }, ['N03']);
      expect(await ids({ status: ['open'] })).to.have.length(12).and.include('N08');
      await same({ status: ['closed', 'awarded'] }, ['N03', 'N07']);
    });
    it('deadline and publication ranges, ends included', async () => {
      await same({ deadlineFrom: '2026-06-01T00:00:00.000Z', deadlineTo: '2026-06-20T12:00:00.000Z' }, ['N02', 'N09', 'N10']);
      await same({ deadlineTo: '2026-05-31T23:59:59.999Z' }, ['N03', 'N07']);
      await same({ publishedFrom: '2026-05-25T00:00:00.000Z' }, ['N06', 'N08']);
      await same({ publishedFrom: '2026-04-01T00:00:00.000Z', publishedTo: '2026-04-30T23:59:59.999Z' }, ['N03']);
    });
    it('value range in SEK (a value in another currency is not compared)', async () => {
      await same({ valueMin: 6_000_000 }, ['N02', 'N05', 'N06', 'N14']);
      await same({ valueMin: 400_000, valueMax: 500_000 }, ['N09', 'N12']);
    });
    it('CSR flags: every flag given must be set', async () => {
      await same({ csr: ['innovation'] }, ['N06']);
      await same({ csr: ['reserved'] }, ['N04']);
      await same({ csr: ['sme'] }, ['N03', 'N09', 'N10']);
      await same({ csr: ['social', 'reserved'] }, ['N04']);
      await same({ csr: ['environmental'] }, ['N02', 'N03', 'N05']);
    });
    it('words and filters together', () => same({ q: 'skol', csr: ['sme'], status: ['open'] }, ['N10']));
  });

  describe('order, pages and facets', () => {
    it('newest first, and soonest deadline first (none last)', async () => {
      expect((await ids({ sort: 'newest', region: ['1402'] }))).to.deep.equal(['N08', 'N13', 'N07']);
      expect((await ids({ sort: 'deadline', region: ['1402'] }))).to.deep.equal(['N07', 'N13', 'N08']);
      expect((await ids({ sort: 'deadline', q: 'skol' }))).to.deep.equal(['N03', 'N10', 'N05']);
      // Without words, relevance is the newest first.
      expect((await ids({ region: ['1402'] }))).to.deep.equal(['N08', 'N13', 'N07']);
    });
    it('pages through every match once', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 5; page++) {
        const result = await index.search(emptyQuery({ sort: 'newest', page, pageSize: 3 }), NOW);
        expect(result).to.deep.include({ total: 14, totalExact: true, page, pageSize: 3 });
        seen.push(...result.hits.map((h) => h.id));
      }
      expect(seen).to.have.length(14);
      expect(new Set(seen).size).to.equal(14);
    });
    it('hits carry what a result list shows', async () => {
      const [hit] = (await search({ q: 'takbyte' })).hits;
      expect(hit).to.deep.include({
        id: 'N08', title: 'Takbyte på Partille simhall', kind: 'planning', status: 'open', procedure: null, cpv: '45261210', deadline: null,
        publishedAt: '2026-05-28T08:00:00.000Z', estimatedValue: { amount: 450_000, currency: 'EUR' },
      });
      expect(hit.buyer).to.deep.equal({ id: 'B-PARTILLE', name: 'Partille kommun', orgNumber: null });
    });
    it('counts every facet over the matches', async () => {
      const { facets, total } = await search({ region: ['1402'] });
      expect(total).to.equal(3);
      expect(facets.status).to.deep.equal([{ value: 'open', count: 2 }, { value: 'awarded', count: 1 }]);
      expect(facets.kind).to.deep.equal([{ value: 'award', count: 1 }, { value: 'planning', count: 1 }, { value: 'tender', count: 1 }]);
      expect(facets.cpv.map(({ value, count }) => ({ value, count }))).to.deep.equal([{ value: '45000000', count: 2 }, { value: '90000000', count: 1 }]);
      expect(facets.buyer.map(({ value, count }) => ({ value, count }))).to.deep.equal([{ value: 'B-PARTILLE', count: 3 }]);
      expect(facets.procedure).to.deep.equal([{ value: 'open', count: 2 }]);
      expect(facets.region.map((f) => f.value)).to.include.members(['1402', 'SE', 'SE2', 'SE23', 'SE232']);
      expect(facets.csr).to.deep.equal([]);
      const words = await search({ q: 'skol' });
      expect(words.facets.csr).to.deep.equal([{ value: 'sme', count: 2 }, { value: 'environmental', count: 2 }].sort((a, b) => (a.value < b.value ? -1 : 1)));
    });
  });

  describe('writes', () => {
    it('the same document twice is one document; a new revision replaces it', async () => {
      const docs = fixtureDocuments();
      await index.upsert([docs[1], docs[1]]);
      expect((await search({})).total).to.equal(14);
      await index.upsert([{ ...docs[1], revision: 2, title: 'Vinterväghållning 2027–2029' }]);
      expect(await ids({ q: 'vinterväghållning' })).to.include('N02');
      expect(await ids({ q: 'halkbekämpning' })).to.deep.equal([]);
      await index.upsert([docs[1]]);
    });
    it('a removed notice is gone; removing it again is harmless', async () => {
      await index.remove(['N11']);
      await index.remove(['N11', 'NOT-THERE']);
      expect(await ids({ q: 'kaffe' })).to.deep.equal([]);
      expect((await search({})).total).to.equal(13);
      await index.upsert(fixtureDocuments().filter((d) => d.id === 'N11'));
      expect(await ids({ q: 'kaffe' })).to.deep.equal(['N11']);
    });
    it('a rebuild leaves exactly the source documents', async () => {
      const docs = fixtureDocuments();
      const n = await index.rebuild(async function* () {
        yield docs.slice(0, 5);
        yield docs.slice(5, 13);
      });
      expect(n).to.equal(13);
      expect((await search({})).total).to.equal(13);
      expect(await ids({ q: 'stockholm' })).to.deep.equal([]);
      await index.upsert(docs);
    });
  });

  describe('Swedish compounds and category names', () => {
    const like = (id: string, title: string, labels = '') => ({ ...fixtureDocuments()[0], id, title, description: '', labels, broaderLabels: '' });
    const docs = () => [
      like('C1', 'Ombyggnad av storkök i Hulanskolan'),
      like('C2', 'Drift av cykelväg längs Säveån'),
      like('C3', 'Materialinventering inför rivning'),
      like('C4', 'Byggnadsarbeten vid stationen'),
      like('C5', 'Beläggning i entréhallen', 'Golvläggning · Floor-laying'),
      like('C6', 'Golvläggning i Floda bibliotek'),
    ];
    before(() => index.upsert(docs()));
    after(() => index.remove(docs().map((d) => d.id)));

    it('a word finds the compounds it is a part of: "kök" storkök, "väg" cykelväg, "bygg" ombyggnad and byggnadsarbeten', async () => {
      expect(await ids({ q: 'kök' })).to.include('C1');
      expect(await ids({ q: 'väg' })).to.include('C2');
      expect(await ids({ q: 'bygg' })).to.include.members(['C1', 'C4']);
      expect(await ids({ q: 'skola' })).to.include('C1');
    });
    it('a part must be a word: "mat" does not find materialinventering', async () => {
      expect(await ids({ q: 'mat' })).not.to.include('C3');
    });
    it('a category\'s name finds its notices, below a notice with the word in its title', async () => {
      expect(await ids({ q: 'golvläggning' })).to.deep.equal(['C6', 'C5']);
      expect(await ids({ q: 'floor' })).to.deep.equal(['C5']);
    });
  });

  describe('agrees with subscriptions and alerts', () => {
    before(() => index.upsert(agreementDocuments()));
    after(() => index.remove(agreementDocuments().map((d) => d.id)));

    it('region=local is the local area, as in subscriptions: Partille, not Kiruna', async () => {
      const local = await ids({ region: ['local'] });
      expect(local).to.include('A1');
      for (const id of ['A2', 'A7', 'N14']) expect(local).not.to.include(id);
      await same({ region: ['local'] }, await ids({ region: DEFAULT_LOCAL_AREA }));
      expect(await ids({ region: ['local', 'SE332'] })).to.include.members(['A1', 'A2']);
    });

    it('status=open is the alert rule: no statistics record, nothing awarded, no old notice without a deadline', async () => {
      await same({ status: ['open'] }, ['N01', 'N02', 'N04', 'N05', 'N06', 'N08', 'N09', 'N10', 'N11', 'N12', 'N13', 'N14', 'A1', 'A2', 'A6', 'A7']);
      await same({ status: ['closed'] }, ['N03', 'A3', 'A5']);
      await same({ status: ['awarded'] }, ['N07', 'A4']);
      const status = async (id: string) => (await search({})).hits.find((h) => h.id === id)?.status;
      expect(await status('A3')).to.equal('closed');
      expect(await status('A5')).to.equal('closed');
      expect(await status('A6')).to.equal('open');
      expect(await status('A4')).to.equal('awarded');
    });

    it('the status facet counts what the status filter finds', async () => {
      for (const q of [{}, { q: 'ventilation' }, { region: ['local'] }]) {
        const { facets } = await search(q);
        for (const value of ['open', 'closed', 'awarded'] as const) {
          const count = facets.status.find((f) => f.value === value)?.count ?? 0;
          expect(count, `${value} ${JSON.stringify(q)}`).to.equal((await ids({ ...q, status: [value] })).length);
        }
      }
      expect((await search({})).facets.status).to.deep.equal([{ value: 'open', count: 16 }, { value: 'closed', count: 3 }, { value: 'awarded', count: 2 }]);
    });

    it('without words: open first, the local area before the rest of Sweden before abroad, then the newest', async () => {
      const order = [
        'N08', 'A6', 'N06', 'N04', 'N09', 'N10', 'N02', 'A1', 'N05', 'N13', 'N12', 'N11', 'N01', // open, local area
        'A2', 'N14', // open, elsewhere in Sweden
        'A7', // open, abroad
        'A3', 'A4', 'N03', 'A5', 'N07', // not open
      ];
      expect(await ids({})).to.deep.equal(order);
      const paged: string[] = [];
      for (let page = 1; page <= 6; page++) paged.push(...(await index.search(emptyQuery({ page, pageSize: 4 }), NOW)).hits.map((h) => h.id));
      expect(paged).to.deep.equal(order);
      // Sorting by date is unchanged.
      expect((await ids({ sort: 'newest' })).slice(0, 3)).to.deep.equal(['A7', 'N08', 'A6']);
    });
  });
}

describe('search contract: SQLite FTS5 (SQLite only: FTS5 is SQLite\'s full-text search)', () => {
  before(sqliteOnly);
  contract(() => ftsIndex());
});

describe('search contract: SQLite FTS5 with the result cache (as the service runs it) (SQLite only: FTS5)', () => {
  before(sqliteOnly);
  // Every question of the contract, and its writes, through the cache: a kept answer that outlived a write fails here.
  contract(() => ftsIndex({ cacheSize: 100 }));
});

const MEILI_URL = process.env.MEILI_URL;
describe(`search contract: Meilisearch${MEILI_URL ? ` at ${MEILI_URL}` : ' (skipped: MEILI_URL is not set; start Meilisearch and set MEILI_URL, and MEILI_KEY if it needs one)'}`, function () {
  before(function () {
    if (!MEILI_URL) this.skip();
  });
  contract(async () => {
    const index = new MeiliSearchIndex({
      url: MEILI_URL!, key: process.env.MEILI_KEY ?? null, indexUid: `brygga-test-${process.pid}-${Date.now().toString(36)}`,
    });
    return { index, cleanup: () => index.drop() };
  });
});

describe(`search contract: PostgreSQL full-text search${postgresTitle}`, () => {
  before(needPostgres);
  contract(postgresIndex);
});

type RankingBackend = { index: SearchIndex & { relatedCategories(q: string): Promise<string[]> }; cleanup(): Promise<void> };

/** The boosts, the title phrase and related categories, which FTS5 and PostgreSQL share (Meilisearch ranks by its own rules). */
function rankingBoosts(start: () => Promise<RankingBackend>) {
  let backend: RankingBackend;
  let index: RankingBackend['index'];
  const base = () => fixtureDocuments()[0];
  before(async () => {
    backend = await start();
    index = backend.index;
    await index.init();
  });
  after(async () => backend?.cleanup());

  it('"städning": Lerum\'s open tender before 2021 notices of other municipalities with the same word', async () => {
    const old = (id: string, municipality: string) => ({
      ...base(), id, title: 'Städning', description: 'Städning av kontor.', publishedAt: '2021-03-01T00:00:00.000Z', deadline: '2021-04-01T00:00:00.000Z',
      regions: [municipality, 'SE'], labels: '', broaderLabels: '',
    });
    await index.upsert([old('R1', '0180'), old('R2', '1280'), { ...base(), id: 'R3', title: 'Städtjänster för Lerums förskolor', labels: '', broaderLabels: '' }]);
    const result = await index.search(emptyQuery({ q: 'städning' }), NOW);
    expect(result.hits[0].id).to.equal('R3');
    expect(result.hits.map((h) => h.id)).to.have.members(['R1', 'R2', 'R3']);
  });

  it('equal words: open before closed, the local area before the rest of Sweden before abroad, newer before older', async () => {
    const doc = (id: string, over: Partial<SearchDocument>) => ({ ...base(), id, title: 'Snöröjning av parkeringar', description: '', labels: '', broaderLabels: '', ...over });
    await index.upsert([
      doc('B1', { regions: ['DE', 'DE3'] }),
      doc('B2', { regions: ['0180', 'SE'] }),
      doc('B3', {}),
      doc('B4', { deadline: '2026-05-01T00:00:00.000Z' }),
      doc('B5', { publishedAt: '2025-05-01T00:00:00.000Z' }),
    ]);
    const result = await index.search(emptyQuery({ q: 'snöröjning parkering' }), NOW);
    // Open ×3, local ×2 or Sweden ×1.5, ×1.25 a year: B5 (local, a year older: 2 × 0.8) before B2 (elsewhere in Sweden: 1.5).
    expect(result.hits.map((h) => h.id).slice(0, 5)).to.deep.equal(['B3', 'B5', 'B2', 'B1', 'B4']);
  });

  it('words that find few notices also find the notices of the category those are in, after them', async () => {
    // Every B notice (and R3) is coded 90911200: the words' category 90911 brings R1–R3, which lack the words.
    const result = await index.search(emptyQuery({ q: 'snöröjning parkering' }), NOW);
    expect(result.hits.map((h) => h.id).slice(5)).to.have.members(['R1', 'R2', 'R3']);
    expect(await index.relatedCategories('snöröjning parkering')).to.deep.equal(['90911000']);
    expect(await index.relatedCategories('städning -skolor')).to.deep.equal(['90911000']);
    expect(await index.relatedCategories('-skolor')).to.deep.equal([]);
  });

  it('the query\'s words as a phrase in the title come first, whatever the boosts', async () => {
    await index.upsert([
      { ...base(), id: 'P1', title: 'Floda: vinterväghållning och snöröjning', labels: '', broaderLabels: '' },
      { ...base(), id: 'P2', title: 'Snöröjning Floda', description: '', labels: '', broaderLabels: '', publishedAt: '2020-01-01T00:00:00.000Z', regions: ['0180', 'SE'] },
    ]);
    expect((await index.search(emptyQuery({ q: 'snöröjning floda' }), NOW)).hits.map((h) => h.id)).to.deep.equal(['P2', 'P1']);
  });

  it('a word of more history than a search ranks: the open tender indexed before it is still first (last: its history stays)', async () => {
    // As `npm start` then `npm run ingest` makes it: the open tender, then a year of statistics with the word.
    await index.upsert([{ ...base(), id: 'S0', title: 'Fönsterputs i förskolor', labels: '', broaderLabels: '' }]);
    const history = Array.from({ length: RESULT_CAP + 10 }, (_, i) => ({
      ...base(), id: `S${i + 1}`, kind: 'award' as const, awarded: true, invites: false, title: 'Fönsterputs', description: '', labels: '', broaderLabels: '',
      regions: ['0180', 'SE'], deadline: null, publishedAt: '2021-03-01T00:00:00.000Z',
    }));
    await index.upsert(history);
    const result = await index.search(emptyQuery({ q: 'fönsterputs', pageSize: 3 }), NOW);
    expect(result.total).to.equal(RESULT_CAP);
    expect(result.hits[0].id).to.equal('S0');
    const open = await index.search(emptyQuery({ q: 'fönsterputs', status: ['open'] }), NOW);
    expect(open.hits.map((h) => h.id)).to.include('S0');
  });
}

describe('search: FTS5 ranking boosts (SQLite only: FTS5)', () => {
  before(sqliteOnly);
  rankingBoosts(() => ftsIndex());
});

describe(`search: PostgreSQL ranking boosts${postgresTitle}`, () => {
  before(needPostgres);
  rankingBoosts(postgresIndex);
});

describe('search: FTS5 with words too common for bm25 (SQLite only: FTS5)', () => {
  before(sqliteOnly);
  // A budget of 0 makes every word "very common": title matches first, then the newest.
  let db: Db;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-search-'));
    db = openDatabase(`file:${join(dir, 'search.db')}`);
    await migrateToLatest(db);
  });
  after(async () => {
    // Skipped (on PostgreSQL) before it was made: nothing to close.
    await db?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ranks title matches first, then the newest', async () => {
    const index = new FtsSearchIndex(db, undefined, { bm25Budget: 0 });
    await index.init();
    await index.upsert(fixtureDocuments());
    const result = await index.search(emptyQuery({ q: 'skol' }), NOW);
    // N10 "Gråbo skola" (05-12), N05 "Skolskjuts" (05-05), N03 "Skolmåltider" (04-01): all in the title, newest first.
    expect(result.hits.map((h) => h.id)).to.deep.equal(['N10', 'N05', 'N03']);
    expect((await index.search(emptyQuery({ q: 'fönsterputs' }), NOW)).hits.map((h) => h.id)).to.deep.equal(['N12', 'N13']);
    expect((await index.search(emptyQuery({ q: 'rivning' }), NOW)).hits.map((h) => h.id)).to.deep.equal(['N07', 'N08']);
  });

  it('breaks ties of relevance: open first, the local area before the rest of Sweden before abroad, then the newest', async () => {
    const index = new FtsSearchIndex(db, undefined, { bm25Budget: 0 });
    await index.upsert(agreementDocuments());
    // Every one has the word in its title: A7 (Berlin) and A3 (a statistics record) are the newest, A1 (Partille) the oldest.
    const result = await index.search(emptyQuery({ q: 'ventilation' }), NOW);
    expect(result.hits.map((h) => h.id)).to.deep.equal(['A1', 'A2', 'A7', 'A3']);
  });
});
