// The Meilisearch adapter's conversation with a server, through the official
// client, against a small stand-in that speaks the same HTTP API (no
// Meilisearch can be had here; the contract suite runs against a real one
// when MEILI_URL is set). It checks what a server cannot be asked about:
// settings before documents, the explicit primary key, batches, every task
// awaited and its status checked, and the fallback (FTS5, or PostgreSQL's own
// index) with its catch-up.
import { createServer, type Server } from 'node:http';
import { expect } from 'chai';
import { pino } from 'pino';
import { FallbackSearchIndex } from '../../src/search/fallback.ts';
import { BATCH_SIZE, MeiliSearchIndex, MeiliTaskError, meiliSettings } from '../../src/search/meilisearch.ts';
import { emptyQuery, type DatabaseSearchIndex, type SearchDocument } from '../../src/search/search.types.ts';
import { eventually } from '../helpers/app.ts';
import { freePort } from '../helpers/redis.ts';
import { fixtureDocuments, ftsIndex, needPostgres, postgresIndex, postgresTitle, type OpenIndex } from './search-fixtures.ts';
import { sqliteOnly } from '../helpers/database.ts';

/** The database indexes Meilisearch falls back to: FTS5 (SQLite), PostgreSQL's own (when the test server answers; in CI it must). */
const FALLBACKS: { label: string; title: string; available: (this: Mocha.Context) => void; open(): Promise<OpenIndex<DatabaseSearchIndex>> }[] = [
  { label: 'FTS5', title: ' (SQLite only: FTS5)', available: sqliteOnly, open: () => ftsIndex() },
  { label: 'PostgreSQL', title: postgresTitle, available: needPostgres, open: postgresIndex },
];

type Call = { method: string; path: string; query: string; body: unknown; auth: string | undefined };
type Task = { uid: number; indexUid: string | null; status: string; type: string; error: { code: string; message: string; type: string; link: string } | null };

/** Enough of Meilisearch's HTTP API for the adapter: tasks finish at once, searches return every document. */
class StandIn {
  calls: Call[] = [];
  indexes = new Map<string, { primaryKey: string | null; docs: Map<string, Record<string, unknown>>; settings: unknown }>();
  tasks: Task[] = [];
  failNext: string | null = null;
  /** Documents with these ids fail their task, as an invalid document would. */
  rejectIds = new Set<string>();
  private server: Server | null = null;

  constructor(readonly port: number) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const url = new URL(req.url!, this.url);
        const body = raw ? JSON.parse(raw) : undefined;
        this.calls.push({ method: req.method!, path: url.pathname, query: url.search, body, auth: req.headers.authorization });
        const [status, answer] = this.answer(req.method!, url, body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  private task(type: string, indexUid: string | null, work: () => string | null): [number, unknown] {
    const failure = this.failNext ?? work();
    this.failNext = null;
    const task: Task = {
      uid: this.tasks.length, indexUid, type, status: failure ? 'failed' : 'succeeded',
      error: failure ? { code: failure, message: `stand-in: ${failure}`, type: 'invalid_request', link: '' } : null,
    };
    this.tasks.push(task);
    return [202, { taskUid: task.uid, indexUid, status: 'enqueued', type, enqueuedAt: new Date().toISOString() }];
  }

  private answer(method: string, url: URL, body: unknown): [number, unknown] {
    const parts = url.pathname.split('/').filter(Boolean);
    const index = parts[1] ? this.indexes.get(parts[1]) : undefined;
    const route = `${method} ${parts[0]}${parts.length > 2 ? `/:uid/${parts.slice(2).join('/')}` : parts.length === 2 ? '/:x' : ''}`;
    switch (route) {
      case 'GET tasks/:x': {
        const task = this.tasks[Number(parts[1])];
        return [200, { ...task, batchUid: 0, canceledBy: null, duration: 'PT0S', enqueuedAt: '', startedAt: '', finishedAt: '' }];
      }
      case 'POST indexes': {
        const { uid, primaryKey } = body as { uid: string; primaryKey: string };
        return this.task('indexCreation', uid, () => {
          if (this.indexes.has(uid)) return 'index_already_exists';
          this.indexes.set(uid, { primaryKey, docs: new Map(), settings: null });
          return null;
        });
      }
      case 'GET indexes/:x':
        return index ? [200, { uid: parts[1], primaryKey: index.primaryKey, createdAt: '', updatedAt: '' }] : [404, { code: 'index_not_found', message: 'no', type: 'invalid_request', link: '' }];
      case 'DELETE indexes/:x':
        return this.task('indexDeletion', parts[1], () => (this.indexes.delete(parts[1]) ? null : 'index_not_found'));
      case 'PATCH indexes/:uid/settings':
        return this.task('settingsUpdate', parts[1], () => {
          if (!index) return 'index_not_found';
          index.settings = body;
          return null;
        });
      case 'POST indexes/:uid/documents':
        return this.task('documentAdditionOrUpdate', parts[1], () => {
          if (!index) return 'index_not_found';
          if ((body as { id: string }[]).some((d) => this.rejectIds.has(d.id))) return 'invalid_document_id';
          for (const doc of body as Record<string, unknown>[]) index.docs.set(String(doc.id), doc);
          return null;
        });
      case 'POST indexes/:uid/documents/delete-batch':
        return this.task('documentDeletion', parts[1], () => {
          for (const id of body as string[]) index?.docs.delete(id);
          return null;
        });
      case 'POST swap-indexes': {
        const [{ indexes: [a, b] }] = body as { indexes: [string, string] }[];
        return this.task('indexSwap', null, () => {
          const [x, y] = [this.indexes.get(a), this.indexes.get(b)];
          if (!x || !y) return 'index_not_found';
          this.indexes.set(a, y);
          this.indexes.set(b, x);
          return null;
        });
      }
      case 'POST multi-search': {
        const { queries } = body as { queries: { indexUid: string; hitsPerPage: number }[] };
        return [200, {
          results: queries.map((q) => {
            const docs = [...(this.indexes.get(q.indexUid)?.docs.values() ?? [])];
            return { indexUid: q.indexUid, hits: docs.slice(0, q.hitsPerPage), totalHits: docs.length, hitsPerPage: q.hitsPerPage, page: 1, totalPages: 1, processingTimeMs: 0, query: '', facetDistribution: {} };
          }),
        }];
      }
      default:
        return [404, { code: 'not_in_stand_in', message: route, type: 'invalid_request', link: '' }];
    }
  }
}

const many = (n: number): SearchDocument[] => {
  const [base] = fixtureDocuments();
  return Array.from({ length: n }, (_, i) => ({ ...base, id: `M${String(i).padStart(5, '0')}` }));
};

describe('search: the Meilisearch adapter over HTTP (stand-in server)', function () {
  let server: StandIn;

  beforeEach(async () => {
    server = new StandIn(await freePort());
    await server.start();
  });
  afterEach(async () => server.stop());

  it('creates the index with primary key id and applies the settings before any document, then writes in batches, awaiting every task', async () => {
    const index = new MeiliSearchIndex({ url: server.url, key: 'secret', indexUid: 'notices' });
    await index.upsert(many(BATCH_SIZE * 2 + 500));
    const writes = server.calls.filter((c) => c.method !== 'GET');
    expect(writes.map((c) => `${c.method} ${c.path}`)).to.deep.equal([
      'POST /indexes', 'PATCH /indexes/notices/settings',
      'POST /indexes/notices/documents', 'POST /indexes/notices/documents', 'POST /indexes/notices/documents',
    ]);
    expect(writes[0].body).to.deep.equal({ uid: 'notices', primaryKey: 'id' });
    expect(writes[1].body).to.deep.equal(meiliSettings());
    expect(writes.slice(2).map((c) => (c.body as unknown[]).length)).to.deep.equal([BATCH_SIZE, BATCH_SIZE, 500]);
    for (const c of writes.slice(2)) expect(c.query).to.equal('?primaryKey=id');
    expect(server.calls.every((c) => c.auth === 'Bearer secret')).to.equal(true);
    // Every task was polled until it ended.
    const polled = new Set(server.calls.filter((c) => c.path.startsWith('/tasks/')).map((c) => Number(c.path.split('/')[2])));
    expect([...polled].sort((a, b) => a - b)).to.deep.equal(server.tasks.map((t) => t.uid));
    expect(server.indexes.get('notices')!.docs.size).to.equal(BATCH_SIZE * 2 + 500);
    // Settings are applied once per process; an existing index is fine.
    await new MeiliSearchIndex({ url: server.url, key: 'secret', indexUid: 'notices' }).init();
  });

  it('a failed task is an error, and the settings are applied again after a failure', async () => {
    const index = new MeiliSearchIndex({ url: server.url, key: null, indexUid: 'notices' });
    await index.init();
    server.failNext = 'invalid_document_id';
    const error = await index.upsert(many(1)).then(() => null, (e: Error) => e);
    expect(error).to.be.instanceOf(MeiliTaskError);
    expect(error!.message).to.include('failed: invalid_document_id');
    server.failNext = 'invalid_settings_ranking_rules';
    const fresh = new MeiliSearchIndex({ url: server.url, key: null, indexUid: 'other' });
    expect(await fresh.init().then(() => null, (e: Error) => e.message)).to.include('invalid_settings_ranking_rules');
    await fresh.init();
    expect(server.indexes.get('other')!.settings).to.deep.equal(meiliSettings());
  });

  it('a rebuild fills a fresh index and swaps it in', async () => {
    const index = new MeiliSearchIndex({ url: server.url, key: null, indexUid: 'notices' });
    await index.upsert(many(3));
    const n = await index.rebuild(async function* () {
      yield many(2);
    });
    expect(n).to.equal(2);
    const writes = server.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
    expect(writes.slice(-6)).to.deep.equal([
      'DELETE /indexes/notices_rebuild', 'POST /indexes', 'PATCH /indexes/notices_rebuild/settings', 'POST /indexes/notices_rebuild/documents',
      'POST /swap-indexes', 'DELETE /indexes/notices_rebuild',
    ]);
    expect(server.calls.find((c) => c.path === '/swap-indexes')!.body).to.deep.equal([{ indexes: ['notices', 'notices_rebuild'], rename: false }]);
    expect([...server.indexes.get('notices')!.docs.keys()]).to.deep.equal(['M00000', 'M00001']);
    expect(server.indexes.has('notices_rebuild')).to.equal(false);
  });

  for (const database of FALLBACKS) {
    describe(`with ${database.label} as the fallback${database.title}`, () => {
      before(database.available);
      let fts: DatabaseSearchIndex;
      let cleanup: () => Promise<void>;
      beforeEach(async () => {
        ({ index: fts, cleanup } = await database.open());
      });
      afterEach(() => cleanup());

      it(`writes ${database.label} first; while Meilisearch is down searches answer from it and writes fail and wait; when it is back they catch up`, async () => {
        const docs = fixtureDocuments();
        const meili = new MeiliSearchIndex({ url: server.url, key: null, indexUid: 'notices', timeoutMs: 1000 });
        const lines: string[] = [];
        const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
        const load = async (ids: string[]) => new Map(ids.map((id) => [id, docs.find((d) => d.id === id) ?? null]));
        const index = new FallbackSearchIndex(meili, fts, log, load, 50);
        await index.init();
        await index.upsert(docs.slice(0, 2));
        expect((await index.search(emptyQuery(), new Date())).backend).to.equal('meilisearch');

        await server.stop();
        const failed = await index.upsert(docs.slice(2, 4)).then(() => null, (e: Error) => e);
        expect(failed?.message).to.match(/Request to .* has failed/);
        expect(await fts.pendingIds(10)).to.deep.equal([docs[2].id, docs[3].id]);
        const fallback = await index.search(emptyQuery({ q: 'skolmåltider' }), new Date());
        expect(fallback.backend).to.equal(`${fts.name}-fallback`);
        expect(fallback.hits.map((h) => h.id)).to.deep.equal(['N03']);

        await server.start();
        // Tried again once its back-off is over: wait for that, not for a fixed time.
        await eventually(async () => (await index.search(emptyQuery(), new Date())).backend === 'meilisearch');
        await index.close(); // waits for the catch-up
        expect([...server.indexes.get('notices')!.docs.keys()].sort()).to.deep.equal(['N01', 'N02', 'N03', 'N04']);
        expect(await fts.pendingIds(10)).to.deep.equal([]);
        const messages = lines.map((l) => JSON.parse(l).msg);
        expect(messages).to.include.members([`meilisearch unreachable: answering searches from ${database.label}`, 'meilisearch reachable again']);
      });

      it('a pending notice Meilisearch rejects does not hold up the others', async () => {
        const docs = fixtureDocuments();
        const meili = new MeiliSearchIndex({ url: server.url, key: null, indexUid: 'notices' });
        const lines: string[] = [];
        const load = async (ids: string[]) => new Map(ids.map((id) => [id, docs.find((d) => d.id === id) ?? null]));
        const index = new FallbackSearchIndex(meili, fts, pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }), load);
        await index.init();
        await fts.markPending(['N05', 'N06', 'N07']);
        server.rejectIds.add('N06');
        await index.drain();
        expect([...server.indexes.get('notices')!.docs.keys()].sort()).to.deep.equal(['N05', 'N07']);
        expect(await fts.pendingIds(10)).to.deep.equal([]);
        const rejected = lines.map((l) => JSON.parse(l)).find((l) => l.level === 50);
        expect(rejected).to.deep.include({ noticeId: 'N06' });
      });
    });
  }
});
