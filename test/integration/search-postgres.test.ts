// Search on a PostgreSQL database as the service runs it: PostgreSQL's own
// full-text search, or, with Meilisearch configured, the fallback that
// answers while Meilisearch cannot be reached; and `npm run reindex` over it.
// What it answers is the contract suite's (search-contract.test.ts). Skipped,
// with the reason, where PostgreSQL does not answer; failed then in CI.
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { pino } from 'pino';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { FallbackSearchIndex } from '../../src/search/fallback.ts';
import { FtsSearchIndex } from '../../src/search/fts5.ts';
import { PostgresSearchIndex } from '../../src/search/postgres.ts';
import { SearchService } from '../../src/search/search.service.ts';
import { emptyQuery } from '../../src/search/search.types.ts';
import { POSTGRES_URL, postgresAnswers, postgresSchema, type TestDatabase } from '../helpers/database.ts';
import { fixtureDocuments } from './search-fixtures.ts';

const POSTGRES_UP = await postgresAnswers();
const title = POSTGRES_UP ? '' : ` (skipped: PostgreSQL does not answer at ${POSTGRES_URL}; start it or set TEST_POSTGRES_URL)`;

/** Nothing listens here: Meilisearch "down". */
const NO_MEILI = { url: 'http://127.0.0.1:9', key: null, indexUid: 'brygga-test-notices' };

describe(`search on PostgreSQL, as the service runs it${title}`, () => {
  let database: TestDatabase;
  let db: Db;
  before(async function () {
    if (!POSTGRES_UP) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL does not answer at ${POSTGRES_URL}, and CI needs it`);
      this.skip();
    }
    database = await postgresSchema();
    db = openDatabase(database.url);
    await migrateToLatest(db); // the service reads buyers' and municipalities' names, and notices
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('a PostgreSQL database gets PostgreSQL full-text search, and SQLite keeps FTS5', async () => {
    const service = new SearchService(db, pino({ level: 'silent' }));
    expect(service.fts).to.be.instanceOf(PostgresSearchIndex);
    expect(service.backend).to.equal('postgres');
    const sqlite = openDatabase(':memory:');
    try {
      expect(new SearchService(sqlite, pino({ level: 'silent' })).fts).to.be.instanceOf(FtsSearchIndex);
    } finally {
      await sqlite.destroy();
    }
  });

  it('with Meilisearch unreachable, PostgreSQL answers (postgres-fallback) and remembers what Meilisearch has still to receive', async () => {
    const lines: string[] = [];
    const service = new SearchService(db, pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) }), NO_MEILI);
    expect(service.index).to.be.instanceOf(FallbackSearchIndex);
    expect((service.index as FallbackSearchIndex).fallback).to.equal(service.fts);
    await service.index.init(); // Meilisearch down at start: a warning, not a failure
    const docs = fixtureDocuments();
    const failed = await service.index.upsert(docs.slice(0, 3)).then(() => null, (e: Error) => e);
    expect(failed, 'the write to Meilisearch fails, so the index job retries').to.be.instanceOf(Error);
    expect(await service.fts.pendingIds(10)).to.deep.equal(['N01', 'N02', 'N03']);
    const result = await service.search(emptyQuery({ q: 'skolmåltider' }));
    expect(result.backend).to.equal('postgres-fallback');
    expect(result.hits.map((h) => h.id)).to.deep.equal(['N03']);
    expect(lines.map((l) => JSON.parse(l).msg)).to.include('meilisearch unreachable: answering searches from PostgreSQL');
    await service.fts.clearPending({ before: new Date(Date.now() + 1000).toISOString() });
    expect(await service.fts.pendingIds(10)).to.deep.equal([]);
    await service.fts.remove(docs.map((d) => d.id));
  });

  it('two processes starting together on a new schema create the index once, without an error', async () => {
    const fresh = await postgresSchema();
    const [one, two] = [openDatabase(fresh.url), openDatabase(fresh.url)];
    try {
      await Promise.all([new PostgresSearchIndex(one).init(), new PostgresSearchIndex(two).init(), new PostgresSearchIndex(one).init()]);
      expect(await new PostgresSearchIndex(two).count()).to.equal(0);
    } finally {
      await Promise.all([one.destroy(), two.destroy()]);
      await fresh.drop();
    }
  });

  it('npm run reindex fills it from the notices, and start-up fills an empty one', async function () {
    this.timeout(120_000);
    const root = new URL('../..', import.meta.url).pathname;
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
    delete env.MEILI_URL;
    const run = (script: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8', env });
    const ingest = run('scripts/ingest.ts', 'test/fixtures/eforms/lerum-cn.xml');
    expect(ingest.status, ingest.stderr).to.equal(0);
    const reindex = run('scripts/reindex.ts', '--json');
    expect(reindex.status, reindex.stderr).to.equal(0);
    expect(JSON.parse(reindex.stdout.trim().split('\n').pop()!)).to.deep.include({ postgres: 1 });

    const service = new SearchService(db, pino({ level: 'silent' }));
    expect((await service.search(emptyQuery())).total).to.equal(1);
    await service.fts.remove([(await service.search(emptyQuery())).hits[0].id]);
    await service.init();
    expect(await service.fts.count()).to.equal(1);
  });
});
