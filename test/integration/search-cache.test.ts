// The FTS5 result cache (src/search/fts5.ts): a kept search is answered
// again only while the index is unchanged (by this process or another) and
// none of its candidates has closed with the time; every answer equals the
// one computed without the cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { cacheKey, FtsSearchIndex } from '../../src/search/fts5.ts';
import { emptyQuery, type SearchQuery, type SearchResult } from '../../src/search/search.types.ts';
import { NOW, agreementDocuments, fixtureDocuments } from './search-fixtures.ts';
import { sqliteOnly } from '../helpers/database.ts';

const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const q = (query: Partial<SearchQuery>) => emptyQuery({ pageSize: 50, ...query });
/** What a page shows, in order. */
const shown = (r: SearchResult) => ({ ids: r.hits.map((h) => `${h.id}:${h.status}:${h.title}`), total: r.total, facets: r.facets });

describe('search: the FTS5 result cache (SQLite only: FTS5)', () => {
  before(sqliteOnly);
  let dir: string;
  let db: Db;
  let other: Db;
  let cached: FtsSearchIndex;
  let plain: FtsSearchIndex;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-search-cache-'));
    db = openDatabase(`file:${join(dir, 'search.db')}`);
    // A second connection to the same file: another process (the workers) writing the index.
    other = openDatabase(`file:${join(dir, 'search.db')}`);
    await migrateToLatest(db);
    cached = new FtsSearchIndex(db, undefined, { cacheSize: 50 });
    plain = new FtsSearchIndex(db);
    await cached.init();
    await cached.upsert([...fixtureDocuments(), ...agreementDocuments()]);
  });
  afterEach(async () => {
    await db.destroy();
    await other.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The cached index answers as the uncached one, at that moment. */
  async function same(query: SearchQuery, now = NOW): Promise<SearchResult> {
    const result = await cached.search(query, now);
    expect(shown(result), JSON.stringify({ query, now })).to.deep.equal(shown(await plain.search(query, now)));
    return result;
  }

  it('answers a repeated search, and its other pages, from the cache, the same as without it', async () => {
    await same(q({ q: 'skol' }));
    await same(q({}));
    const misses = cached.cacheStats.misses;
    await same(q({ q: 'skol' }));
    await same(q({}));
    for (let page = 1; page <= 5; page++) await same(emptyQuery({ page, pageSize: 4 }));
    // The five pages of size 4 are pages of the start page already kept: the page and its size are not in the key.
    expect(cached.cacheStats.misses).to.equal(misses);
    expect(cached.cacheStats.hits).to.be.at.least(6);
  });

  it('a changed notice is searched as it is now: words, facets and total', async () => {
    const before = await same(q({ q: 'kaffe' }));
    expect(before.hits.map((h) => h.id)).to.deep.equal(['N11']);
    const startBefore = await same(q({}));
    const doc = fixtureDocuments().find((d) => d.id === 'N11')!;
    await cached.upsert([{ ...doc, revision: 2, title: 'Te till stadens kontor', description: 'Te.', kind: 'planning' }]);
    expect((await same(q({ q: 'kaffe' }))).hits).to.deep.equal([]);
    const start = await same(q({}));
    expect(start.facets.kind).to.not.deep.equal(startBefore.facets.kind);
    await cached.remove(['N11']);
    expect((await same(q({}))).total).to.equal(startBefore.total - 1);
  });

  it('a write by another connection (another process) is seen at once', async () => {
    const before = await same(q({ q: 'kaffe' }));
    expect(before.total).to.equal(1);
    const writer = new FtsSearchIndex(other);
    await writer.remove(['N11']);
    expect((await same(q({ q: 'kaffe' }))).total).to.equal(0);
    await writer.upsert(fixtureDocuments().filter((d) => d.id === 'N11'));
    expect((await same(q({ q: 'kaffe' }))).total).to.equal(1);
  });

  it('a candidate that closes with the time is counted closed, with no write', async () => {
    // N10 closes 2026-06-10 12:00, N09 06-15, N02 06-20; A-fixtures without a deadline age out after 30 days.
    const moments = [0, 8, 9.09, 9.1, 14.5, 19.5, 25, 26.5, 31, 60, 400].map(at);
    for (const query of [q({}), q({ q: 'skol' }), q({ status: ['open'] }), q({ sort: 'deadline' }), q({ status: ['open', 'awarded'] })]) {
      for (const now of moments) await same(query, now);
    }
    const first = await cached.search(q({ status: ['open'] }), NOW);
    const later = await cached.search(q({ status: ['open'] }), at(10));
    expect(later.total).to.be.below(first.total);
  });

  it('never answers an earlier moment with a later one', async () => {
    await same(q({ status: ['open'] }), at(30));
    await same(q({ status: ['open'] }), NOW);
  });

  it('does not keep searches for closed notices, whose candidates grow with the time', async () => {
    expect(cacheKey(q({ status: ['closed'] }))).to.equal(null);
    expect(cacheKey(q({ status: ['open', 'closed'] }))).to.equal(null);
    expect(cacheKey(q({ status: ['open', 'closed', 'awarded'] }))).to.not.equal(null);
    for (const now of [0, 9.1, 20, 400].map(at)) await same(q({ status: ['closed'] }), now);
  });

  it('keys by the words as parsed and the filters as sets, not by the page', () => {
    expect(cacheKey(q({ q: 'Skola  lerum' }))).to.equal(cacheKey(q({ q: 'skola lerum' })));
    expect(cacheKey(q({ cpv: ['90', '45'] }))).to.equal(cacheKey(q({ cpv: ['45', '90'] })));
    expect(cacheKey(emptyQuery({ page: 3, pageSize: 10 }))).to.equal(cacheKey(emptyQuery({ page: 1, pageSize: 20 })));
    expect(cacheKey(q({ q: 'skola' }))).to.not.equal(cacheKey(q({ q: 'skola', sort: 'newest' })));
    expect(cacheKey(q({ q: 'skola' }))).to.not.equal(cacheKey(q({ q: 'skola -lerum' })));
  });

  it('hands out its own copy of the facets: a caller that labels them changes nothing kept', async () => {
    const first = await cached.search(q({}), NOW);
    first.facets.cpv[0].label = 'changed';
    first.facets.kind.length = 0;
    const again = await cached.search(q({}), NOW);
    expect(again.facets.cpv[0].label).to.not.equal('changed');
    expect(again.facets.kind.length).to.be.above(0);
  });

  it('keeps at most its size, the least recently used leaving first', async () => {
    const small = new FtsSearchIndex(db, undefined, { cacheSize: 2 });
    for (const word of ['skol', 'kaffe', 'lerum', 'skol']) await small.search(q({ q: word }), NOW);
    expect(small.cacheStats).to.deep.include({ size: 2, hits: 0, misses: 4 });
    await small.search(q({ q: 'skol' }), NOW);
    expect(small.cacheStats.hits).to.equal(1);
  });
});
