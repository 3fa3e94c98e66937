// The embedded search index: SQLite FTS5. SQLite-only SQL lives here and
// nowhere else.
//
// Tables, created here rather than by migrations (they are an index that can
// always be rebuilt from `notices`):
// - search_notices: one row per indexed notice: the original text (hits and
//   snippets show it as written) and the columns filters, facets and hits need;
// - search_fts: an external-content FTS5 table over it. Into the FTS5 index
//   goes *analysed* text (folded: case and foreign diacritics folded, å/ä/ö
//   kept; then every token its words are found by, see indexedText) for the
//   title, description, buyer, codes and the CPV codes' labels, plus a `tags`
//   column of filter tokens (see fts5.query.ts). The analysis depends on the
//   dictionary alone, so a row's tokens can always be computed again to
//   remove it;
// - search_terms: every indexed token with the number of documents it is in:
//   it tells which words are too common for bm25 to be quick;
// - search_pending: notices Meilisearch has still to receive (when configured);
// - search_meta: the layout version; a new version drops and refills the index.
//
// A search is one statement over at most RESULT_CAP candidates (the most
// recently indexed matches: FTS5 walks its doclists backwards and stops), so
// its cost follows the page, not how common the words are. See searchSql.
// Notices that may invite firms take their rowids above every other's (see
// HISTORY_RIDS), so the walk meets them first: an open tender indexed before a
// year of imported history is never crowded out of a common word's candidates.
//
// With a cache (`cacheSize`, on in the service): the order of every
// candidate, the total and the facets of a search are kept per (words as
// parsed, filters, sort), for every page of it, while the index's revision
// (search_meta, moved by every write, in any process) is the same and no
// candidate's open/closed has changed with the time (see `stillValid`).
import { CompiledQuery } from 'kysely';
import type { Logger } from 'pino';
import { inTransaction, type Db } from '../../db/database.ts';
import {
  BM25_WEIGHTS, affordable, documentTags, openSql, planQuery, queryContext, queryTokens, quote, tags, textExpression,
  type FtsPlan, type QueryContext, type TokenDocs,
} from './fts5.query.ts';
import {
  DEFAULT_RULES, FACET_NAMES, HISTORY_RIDS, RESULT_CAP, emptyFacets, statusOf, trimFacet, type SearchRules,
  type DocumentSource, type Facets, type FacetName, type NoticeKind, type SearchDocument, type SearchHit,
  type DatabaseSearchIndex, type SearchQuery, type SearchResult,
} from './search.types.ts';
import { Highlighter, fold, indexedText, markedToHtml, parseTextQuery } from './text.ts';

/** Bump when the tables, the folding or the analysis change: the index is then rebuilt. */
export const FTS_LAYOUT_VERSION = '7';
/**
 * Words found in more documents than this in all are ranked by the cheaper
 * order (title matches first, then the newest) instead of bm25, whose cost
 * grows with how many documents contain the words, not with the page.
 */
export const BM25_BUDGET = 50_000;

/** Words that find fewer notices than this are helped by their related categories; title matches looked at to find them. */
export const RELATED_BELOW = 100;
export const RELATED_SAMPLE = 200;

/** Searches kept by the service's index (see `ResultCache`); 0 turns the cache off. */
export const RESULT_CACHE_SIZE = 500;

const FTS_COLUMNS = 'title, description, buyer, codes, labels, broader, tags';
/** The stored columns a write needs to find and forget a row. */
const STORED = 'rid, notice_id, revision, title, description, buyer, codes, labels, broader, tags';

/** Rows per write statement: well under SQLite's bound-parameter limit. */
const CHUNK = 400;

type Row = Record<string, unknown>;

type StoredRow = {
  rid: number;
  notice_id: string;
  revision: number;
  title: string;
  description: string;
  buyer: string;
  codes: string;
  labels: string;
  broader: string;
  tags: string;
};

/** What a hit is presented from: a row of search_notices, or of PostgreSQL's search_documents (booleans there). */
export type HitFields = {
  notice_id: string;
  title: string;
  description: string;
  buyer: string;
  kind: string;
  procedure: string | null;
  buyer_id: string;
  buyer_org_number: string | null;
  main_cpv: string;
  awarded: number | boolean;
  invites: number | boolean;
  deadline: string | null;
  published_at: string;
  value_amount: number | null;
  value_currency: string | null;
};

type HitRow = StoredRow & HitFields;

const COLUMNS = [
  'notice_id', 'revision', 'title', 'description', 'buyer', 'codes', 'labels', 'broader', 'tags', 'kind', 'procedure', 'buyer_id',
  'buyer_org_number', 'main_cpv', 'awarded', 'invites', 'deadline', 'published_at', 'value_amount', 'value_currency', 'value_sek',
  'cpv_divisions', 'regions', 'flags',
] as const;

function rowValues(doc: SearchDocument): unknown[] {
  return [
    doc.id, doc.revision, doc.title, doc.description, doc.buyerName, doc.codes.join(' '), doc.labels, doc.broaderLabels, documentTags(doc), doc.kind,
    doc.procedure, doc.buyerId, doc.buyerOrgNumber, doc.mainCpv, Number(doc.awarded), Number(doc.invites), doc.deadline, doc.publishedAt,
    doc.estimatedValue?.amount ?? null, doc.estimatedValue?.currency ?? null, doc.valueSek,
    JSON.stringify(doc.cpvDivisions), JSON.stringify(doc.regions), JSON.stringify(doc.csr),
  ];
}

type IndexedColumns = Pick<StoredRow, 'title' | 'description' | 'buyer' | 'codes' | 'labels' | 'broader' | 'tags'>;

/** What the FTS5 index holds for a row: analysed text, codes folded, the tags as they are. */
const ftsValues = (r: IndexedColumns) => [
  indexedText(r.title), indexedText(r.description), indexedText(r.buyer), fold(r.codes), indexedText(r.labels), indexedText(r.broader), r.tags,
];

const indexedColumns = (doc: SearchDocument): IndexedColumns => ({
  title: doc.title, description: doc.description, buyer: doc.buyerName, codes: doc.codes.join(' '), labels: doc.labels, broader: doc.broaderLabels, tags: documentTags(doc),
});

const placeholders = (rows: number, columns: number) =>
  Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class FtsSearchIndex implements DatabaseSearchIndex {
  readonly name = 'fts5' as const;

  private readonly bm25Budget: number;
  private readonly rules: SearchRules;
  private readonly cache: ResultCache;

  constructor(
    private readonly db: Db,
    private readonly log?: Logger,
    options: { bm25Budget?: number; rules?: SearchRules; cacheSize?: number } = {},
  ) {
    this.bm25Budget = options.bm25Budget ?? BM25_BUDGET;
    this.rules = options.rules ?? DEFAULT_RULES;
    this.cache = new ResultCache(options.cacheSize ?? 0);
  }

  /** Searches answered from the cache and computed, since this index was made. */
  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, size: this.cache.size };
  }

  /** The index's revision: moved by every write (upsert, remove, a new layout), from any process. */
  async revision(): Promise<number> {
    const [row] = await this.all<{ value: string }>(this.db, "SELECT value FROM search_meta WHERE key = 'revision'");
    return Number(row?.value ?? 0);
  }

  private async all<T = Row>(db: Db, text: string, params: readonly unknown[] = []): Promise<T[]> {
    const { rows } = await db.executeQuery<T>(CompiledQuery.raw(text, [...params]));
    return rows;
  }

  private async run(db: Db, text: string, params: readonly unknown[] = []): Promise<void> {
    await db.executeQuery(CompiledQuery.raw(text, [...params]));
  }

  /** A write to the index, with the revision moved in the same transaction: cached searches are then recomputed. */
  private write<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return inTransaction(this.db, async (trx) => {
      const result = await work(trx);
      await this.run(trx, `INSERT INTO search_meta (key, value) VALUES ('revision', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`);
      return result;
    });
  }

  /** Creates the tables; drops and recreates them (empty) when the layout version changed. */
  async init(): Promise<void> {
    await this.write(async (db) => {
      await this.run(db, 'CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      const [meta] = await this.all<{ value: string }>(db, "SELECT value FROM search_meta WHERE key = 'layout'");
      if (meta?.value !== FTS_LAYOUT_VERSION) {
        if (meta) this.log?.warn({ from: meta.value, to: FTS_LAYOUT_VERSION }, 'search index layout changed: the FTS5 index is rebuilt');
        await this.run(db, 'DROP TABLE IF EXISTS search_fts');
        await this.run(db, 'DROP TABLE IF EXISTS search_notices');
        await this.run(db, 'DROP TABLE IF EXISTS search_terms');
      }
      await this.run(db, `CREATE TABLE IF NOT EXISTS search_notices (
        rid INTEGER PRIMARY KEY,
        notice_id TEXT NOT NULL UNIQUE,
        revision INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        buyer TEXT NOT NULL,
        codes TEXT NOT NULL,
        labels TEXT NOT NULL,
        broader TEXT NOT NULL,
        tags TEXT NOT NULL,
        kind TEXT NOT NULL,
        procedure TEXT,
        buyer_id TEXT NOT NULL,
        buyer_org_number TEXT,
        main_cpv TEXT NOT NULL,
        awarded INTEGER NOT NULL,
        invites INTEGER NOT NULL,
        deadline TEXT,
        published_at TEXT NOT NULL,
        value_amount REAL,
        value_currency TEXT,
        value_sek REAL,
        cpv_divisions TEXT NOT NULL,
        regions TEXT NOT NULL,
        flags TEXT NOT NULL
      )`);
      // Marks (Mn, Mc, Me) count as letters, so decomposed input ("e" + U+0301)
      // stays one word, as it is once folded.
      await this.run(db, `CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, description, buyer, codes, labels, broader, tags,
        content = 'search_notices', content_rowid = 'rid',
        tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
      )`);
      await this.run(db, 'CREATE TABLE IF NOT EXISTS search_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID');
      await this.run(db, 'CREATE TABLE IF NOT EXISTS search_pending (notice_id TEXT PRIMARY KEY, since TEXT NOT NULL)');
      await this.run(db, "INSERT INTO search_meta (key, value) VALUES ('layout', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [
        FTS_LAYOUT_VERSION,
      ]);
    });
  }

  async count(): Promise<number> {
    const [row] = await this.all<{ n: number }>(this.db, 'SELECT count(*) AS n FROM search_notices');
    return Number(row.n);
  }

  /**
   * Adds or replaces documents. A document older (by revision) than the one
   * indexed is ignored, so a late job cannot put back an old version.
   */
  async upsert(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    await this.write(async (db) => {
      for (const batch of chunks(dedupe(docs))) {
        const existing = new Map(
          (await this.all<StoredRow>(db, `SELECT ${STORED} FROM search_notices
            WHERE notice_id IN (${batch.map(() => '?').join(', ')})`, batch.map((d) => d.id))).map((r) => [r.notice_id, r]),
        );
        const replaced = batch.filter((d) => existing.has(d.id) && existing.get(d.id)!.revision <= d.revision);
        const added = batch.filter((d) => !existing.has(d.id));
        const indexed = new Map([...replaced, ...added].map((doc) => [doc.id, ftsValues(indexedColumns(doc))]));
        const terms = new Map<string, number>();
        for (const values of indexed.values()) countTokens(terms, values, 1);
        if (replaced.length) {
          const old = replaced.map((d) => existing.get(d.id)!);
          await this.ftsDelete(db, old, terms);
          for (const doc of replaced) {
            await this.run(db, `UPDATE search_notices SET ${COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE rid = ?`, [
              ...rowValues(doc), existing.get(doc.id)!.rid,
            ]);
          }
          await this.ftsInsert(db, replaced.map((doc) => ({ rid: existing.get(doc.id)!.rid, values: indexed.get(doc.id)! })));
        }
        if (added.length) {
          const rids = await this.nextRowids(db, added);
          await this.run(
            db,
            `INSERT INTO search_notices (rid, ${COLUMNS.join(', ')}) VALUES ${placeholders(added.length, COLUMNS.length + 1)}`,
            added.flatMap((doc, i) => [rids[i], ...rowValues(doc)]),
          );
          await this.ftsInsert(db, added.map((doc, i) => ({ rid: rids[i], values: indexed.get(doc.id)! })));
        }
        await this.countTerms(db, terms);
      }
    });
  }

  /** The rowids for new documents, each in its range (HISTORY_RIDS), in the order given. */
  private async nextRowids(db: Db, docs: SearchDocument[]): Promise<number[]> {
    const [{ top, history }] = await this.all<{ top: number | null; history: number | null }>(db,
      'SELECT (SELECT max(rid) FROM search_notices) AS top, (SELECT max(rid) FROM search_notices WHERE rid < 0) AS history');
    let invites = Math.max(top ?? 0, 0);
    let never = history ?? HISTORY_RIDS;
    return docs.map((doc) => (doc.invites ? ++invites : ++never));
  }

  /** Adds the changes to the documents-per-word counts. */
  private async countTerms(db: Db, terms: Map<string, number>): Promise<void> {
    const changed = [...terms].filter(([, n]) => n !== 0);
    for (const part of chunks(changed, 500)) {
      await this.run(db, `INSERT INTO search_terms (term, docs) VALUES ${placeholders(part.length, 2)}
        ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs`, part.flat());
    }
  }

  private async ftsInsert(db: Db, rows: { rid: number; values: string[] }[]): Promise<void> {
    await this.run(
      db,
      `INSERT INTO search_fts (rowid, ${FTS_COLUMNS}) VALUES ${placeholders(rows.length, 8)}`,
      rows.flatMap(({ rid, values }) => [rid, ...values]),
    );
  }

  /** External content: FTS5 forgets a row when told the values it indexed; their tokens are counted off `terms`. */
  private async ftsDelete(db: Db, rows: StoredRow[], terms: Map<string, number>): Promise<void> {
    const values = rows.map(ftsValues);
    for (const v of values) countTokens(terms, v, -1);
    await this.run(
      db,
      `INSERT INTO search_fts (search_fts, rowid, ${FTS_COLUMNS}) VALUES ${placeholders(rows.length, 9)}`,
      rows.flatMap((r, i) => ['delete', r.rid, ...values[i]]),
    );
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.write(async (db) => {
      for (const batch of chunks([...new Set(ids)])) {
        const rows = await this.all<StoredRow>(db, `SELECT ${STORED} FROM search_notices
          WHERE notice_id IN (${batch.map(() => '?').join(', ')})`, batch);
        if (rows.length === 0) continue;
        const terms = new Map<string, number>();
        await this.ftsDelete(db, rows, terms);
        await this.countTerms(db, terms);
        await this.run(db, `DELETE FROM search_notices WHERE rid IN (${rows.map(() => '?').join(', ')})`, rows.map((r) => r.rid));
      }
    });
  }

  /**
   * Upserts every document of the source, batch by batch (searches keep
   * answering meanwhile), then removes what the source no longer has, and
   * merges the index segments.
   */
  async rebuild(source: DocumentSource, onProgress?: (done: number) => void): Promise<number> {
    const seen = new Set<string>();
    for await (const batch of source()) {
      await this.upsert(batch);
      for (const doc of batch) seen.add(doc.id);
      onProgress?.(seen.size);
    }
    let after = HISTORY_RIDS;
    for (;;) {
      const rows = await this.all<{ rid: number; notice_id: string }>(this.db, 'SELECT rid, notice_id FROM search_notices WHERE rid > ? ORDER BY rid LIMIT 5000', [after]);
      if (rows.length === 0) break;
      const gone = rows.filter((r) => !seen.has(r.notice_id)).map((r) => r.notice_id);
      await this.remove(gone);
      after = rows[rows.length - 1].rid;
    }
    await this.optimize();
    return seen.size;
  }

  /** Merges the FTS5 segments into one: quicker queries after a bulk load. */
  async optimize(): Promise<void> {
    await this.run(this.db, "INSERT INTO search_fts (search_fts) VALUES ('optimize')");
  }

  /**
   * One statement: the candidates (at most RESULT_CAP matches, the most
   * recently indexed first, which FTS5 finds lazily), their order, the page
   * and the facet counts; then the page's snippets. With the cache, the
   * statement returns the order of every candidate, kept for every page.
   */
  async search(query: SearchQuery, now = new Date()): Promise<SearchResult> {
    const at = queryContext(now, this.rules);
    const key = this.cache.enabled ? cacheKey(query) : null;
    // Read before the statement: a write after it moves the revision, so what is stored under this one is never newer than it.
    const revision = key === null ? 0 : await this.revision();
    let entry = key === null ? undefined : this.cache.get(key, revision, at);
    let page: number[];
    const offset = (query.page - 1) * query.pageSize;
    if (entry) {
      page = entry.order.slice(offset, offset + query.pageSize);
    } else {
      const docs = await this.tokenDocs(query.q);
      const plan = planQuery(query, at, docs, await this.relatedCategories(query.q, docs));
      const { sql, params } = searchSql(plan, query, at, this.bm25Budget, key !== null);
      const rows = await this.all<{ facet: string; value: string | number | null; label: string | null; n: number }>(
        this.db, sql, key === null ? [...params, offset, offset + query.pageSize] : params,
      );
      const facets: Facets = emptyFacets();
      const positions: { rid: number; position: number }[] = [];
      let order: number[] = [];
      let total = 0;
      let openDeadline: string | null = null;
      let openPublished: string | null = null;
      for (const row of rows) {
        if (row.facet === 'hit') positions.push({ rid: Number(row.value), position: Number(row.n) });
        else if (row.facet === 'order') order = row.value === null ? [] : String(row.value).split(',').map(Number);
        else if (row.facet === 'total') total = Number(row.n);
        else if (row.facet === 'open-deadline') openDeadline = row.value === null ? null : String(row.value);
        else if (row.facet === 'open-published') openPublished = row.value === null ? null : String(row.value);
        else if ((FACET_NAMES as readonly string[]).includes(row.facet) && row.value !== null) {
          facets[row.facet as FacetName].push({ value: String(row.value), count: Number(row.n), ...(row.label ? { label: row.label } : {}) });
        }
      }
      for (const name of FACET_NAMES) facets[name] = trimFacet(facets[name]);
      if (key === null) order = positions.sort((a, b) => a.position - b.position).map((p) => p.rid);
      entry = { revision, now: at.now, openDeadline, openPublished, order, total, facets };
      if (key !== null) this.cache.set(key, entry);
      page = key === null ? order : order.slice(offset, offset + query.pageSize);
    }
    const hits = await this.hits(query, page, now);
    const { total } = entry;
    return { hits, total, totalExact: total < RESULT_CAP, page: query.page, pageSize: query.pageSize, facets: copyFacets(entry.facets), backend: 'fts5' };
  }

  /**
   * When the words find less than a page of RELATED_BELOW notices: the CPV
   * categories (five-digit level) that the notices with the words in their
   * title are mostly in, each holding a fifth or more of the latest
   * RELATED_SAMPLE such notices, and at least three; at most three. A
   * query's own vocabulary leads to its category ("asfalt" → 45233 road
   * works), so notices that name the category, not the word, are found too,
   * after those with the word.
   */
  async relatedCategories(q: string, docs?: TokenDocs): Promise<string[]> {
    const text = affordable(parseTextQuery(q), docs ?? (await this.tokenDocs(q)));
    const words = textExpression(text);
    const title = textExpression(text, '{title}');
    if (words === null || title === null) return [];
    const [found] = await this.all<{ n: number }>(this.db,
      `SELECT count(*) AS n FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ${RELATED_BELOW})`, [words]);
    if (Number(found.n) >= RELATED_BELOW) return [];
    const rows = await this.all<{ code: string; n: number; total: number }>(this.db, `SELECT substr(s.main_cpv, 1, 5) AS code, count(*) AS n,
      sum(count(*)) OVER () AS total
      FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ${RELATED_SAMPLE}) f
      JOIN search_notices s ON s.rid = f.rowid GROUP BY 1 ORDER BY n DESC, code LIMIT 3`, [title]);
    // Only as many as the candidates hold (RESULT_CAP): a larger category would push out notices with the words.
    let room = RESULT_CAP - Number(found.n);
    const out: string[] = [];
    for (const r of rows) {
      if (Number(r.n) < 3 || Number(r.n) * 5 < Number(r.total)) continue;
      const code = r.code.padEnd(8, '0');
      const [size] = await this.all<{ n: number }>(this.db,
        `SELECT count(*) AS n FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ${RESULT_CAP})`, [`tags : ${quote(tags.cpv(code))}`]);
      if (Number(size.n) > room) continue;
      room -= Number(size.n);
      out.push(code);
    }
    return out;
  }

  /** How many documents each token of `q` is in. */
  async tokenDocs(q: string): Promise<TokenDocs> {
    const tokens = queryTokens(parseTextQuery(q));
    if (tokens.length === 0) return new Map();
    const rows = await this.all<{ term: string; docs: number }>(this.db,
      `SELECT term, docs FROM search_terms WHERE term IN (${tokens.map(() => '?').join(', ')})`, tokens);
    return new Map(rows.map((r) => [r.term, Math.max(0, Number(r.docs))]));
  }

  /** The page's hits in page order, matched words marked in the title and a snippet of the description. */
  private async hits(query: SearchQuery, rids: number[], now: Date): Promise<SearchHit[]> {
    if (rids.length === 0) return [];
    const rows = await this.all<HitRow>(this.db, `SELECT * FROM search_notices WHERE rid IN (${rids.map(() => '?').join(', ')})`, rids);
    return presentHits(rows, rids, query, now, this.rules.alertMaxAgeDays);
  }

  /** Notices whose latest state Meilisearch has not received yet. */
  async markPending(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const since = new Date().toISOString();
    await this.run(this.db, `INSERT INTO search_pending (notice_id, since) VALUES ${placeholders(ids.length, 2)} ON CONFLICT (notice_id) DO NOTHING`,
      ids.flatMap((id) => [id, since]));
  }

  async pendingIds(limit: number): Promise<string[]> {
    const rows = await this.all<{ notice_id: string }>(this.db, 'SELECT notice_id FROM search_pending ORDER BY since, notice_id LIMIT ?', [limit]);
    return rows.map((r) => r.notice_id);
  }

  /** Clears these ids, or every id pending since before `before`. */
  async clearPending(ids: string[] | { before: string }): Promise<void> {
    if (Array.isArray(ids)) {
      if (ids.length) await this.run(this.db, `DELETE FROM search_pending WHERE notice_id IN (${ids.map(() => '?').join(', ')})`, ids);
    } else {
      await this.run(this.db, 'DELETE FROM search_pending WHERE since < ?', [ids.before]);
    }
  }

  async close(): Promise<void> {}
}

/** What a search keeps: the candidates' order, the total, the facets, and what decides how long they hold. */
type CachedSearch = {
  revision: number;
  /** When it was computed (ISO): it holds for that moment and later ones only. */
  now: string;
  /** The earliest deadline of a candidate open by its deadline: at that moment it closes. */
  openDeadline: string | null;
  /** The oldest publication of a candidate open without a deadline: it closes when `since` passes it. */
  openPublished: string | null;
  order: number[];
  total: number;
  facets: Facets;
};

/**
 * The search without its page, as a key; null when it cannot be kept. Words
 * as parsed (the same terms, phrases and exclusions are the same search),
 * the values of each filter sorted (they are alternatives).
 *
 * Not kept: a status filter with `closed` in it (and not all three). Time
 * turns open notices into closed ones, so the candidates of such a search
 * can grow without any write and without any of them changing; every other
 * search's candidates only change with the index (see `stillValid`).
 */
export function cacheKey(query: SearchQuery): string | null {
  const statuses = new Set(query.status);
  if (statuses.has('closed') && statuses.size < 3) return null;
  const { page: _page, pageSize: _pageSize, q, ...rest } = query;
  const filters = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => [k, Array.isArray(v) ? [...new Set(v.map(String))].sort() : v]));
  return JSON.stringify([parseTextQuery(q), filters]);
}

/**
 * Whether a kept search still answers at `at` for the index at `revision`:
 * nothing written since, not asked for an earlier moment, and none of its
 * candidates closed since (open is `deadline > now`, or without a deadline
 * `published_at >= since`; both only ever turn false as time passes, and are
 * compared here as the SQL compares them, as strings).
 */
export function stillValid(entry: CachedSearch, revision: number, at: QueryContext): boolean {
  return entry.revision === revision && entry.now <= at.now
    && (entry.openDeadline === null || at.now < entry.openDeadline)
    && (entry.openPublished === null || at.since <= entry.openPublished);
}

/** The kept searches, least recently used first; `size` 0 keeps none. */
class ResultCache {
  private readonly entries = new Map<string, CachedSearch>();
  hits = 0;
  misses = 0;

  constructor(private readonly max: number) {}

  get enabled(): boolean {
    return this.max > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, revision: number, at: QueryContext): CachedSearch | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry || !stillValid(entry, revision, at)) {
      this.misses++;
      return undefined;
    }
    this.entries.set(key, entry);
    this.hits++;
    return entry;
  }

  set(key: string, entry: CachedSearch): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** The caller may add labels to the facets: it gets its own copy. */
function copyFacets(facets: Facets): Facets {
  const out = emptyFacets();
  for (const name of FACET_NAMES) out[name] = facets[name].map((f) => ({ ...f }));
  return out;
}

/** The latest revision of each document (the last of equal ones), once. */
export function dedupe(docs: SearchDocument[]): SearchDocument[] {
  const byId = new Map<string, SearchDocument>();
  for (const doc of docs) if (!byId.has(doc.id) || byId.get(doc.id)!.revision <= doc.revision) byId.set(doc.id, doc);
  return [...byId.values()];
}

/** bm25 when the words are rare enough for it to be quick, else title matches first; none without words or when sorted by date. */
export function rankingMode(plan: FtsPlan, query: SearchQuery, budget = BM25_BUDGET): 'bm25' | 'title-first' | 'none' {
  if (plan.text === null || query.sort !== 'relevance') return 'none';
  return plan.cost <= budget ? 'bm25' : 'title-first';
}

/**
 * The search statement. Parameters after the returned ones: page offset,
 * page end; none with `whole`, which returns the order of every candidate
 * (one row, 'order': their rowids in order, comma-separated) instead of the
 * page's positions.
 * - c: the candidates: every match when there are at most RESULT_CAP, else
 *   the RESULT_CAP most recently indexed (FTS5 walks the doclists backwards
 *   and stops there), with what the facets and the order need (open decided
 *   now); for very common words with filters also whether the title
 *   matched (from highlight(), which needs no statistics);
 * - r: bm25 over the words alone (the filter tokens stay out of it: bm25
 *   would count every document that has them), walking the words' matches
 *   backwards from the newest candidate and stopping at the last one (FTS5
 *   seeks a lower rowid bound by scanning, an upper one at once); for very
 *   common words without filters instead the rows between the candidates'
 *   rowids with any of the words in the title (score -1: one walk of the
 *   title's doclists, where highlight() reads and tokenizes every
 *   candidate's title; with filters the candidates lie far apart and
 *   highlight() in c is cheaper);
 * - ranked: the score and where the notice is (see orderBy);
 * - g: the candidates grouped by everything the facets count (one pass
 *   over them; candidates alike, as most of a search's are, share a row),
 *   so the JSON lists are read once per group, not once per candidate;
 * - then the page's positions, the total and every facet's counts, at once,
 *   and the earliest moment an open candidate closes (open-deadline: the
 *   soonest deadline; open-published: the oldest publication without one),
 *   which bounds how long the answer holds (see stillValid).
 */
export function searchSql(plan: FtsPlan, query: SearchQuery, at: QueryContext, budget = BM25_BUDGET, whole = false): { sql: string; params: unknown[] } {
  const mode = rankingMode(plan, query, budget);
  // Title matches for the cheaper order: words alone walk the title's matches over the candidates' rowids (r), which
  // lie close together; with filters they may lie far apart, so highlight() marks each candidate's title instead.
  // Only when every term is common: the candidates (the latest matches) then lie close together. With a rare term
  // among common ones they spread over the whole index, and the walk would read nearly every title.
  const titleWalk = mode === 'title-first' && plan.match === plan.text && plan.rarest > budget;
  const inTitle = mode === 'title-first' && !titleWalk ? 'instr(highlight(search_fts, 0, char(1), char(2)), char(1)) > 0' : '0';
  const columns = `s.rid AS rid, ${inTitle} AS in_title, ${openSql('s')} AS is_open, s.kind, s.procedure, s.buyer_id, s.buyer, s.awarded,
    s.deadline, s.published_at, s.cpv_divisions, s.regions, s.flags`;
  const where = plan.where.length ? ` AND ${plan.where.join(' AND ')}` : '';
  const candidates = plan.match === null
    ? `SELECT ${columns} FROM search_notices s WHERE 1 = 1${where} ORDER BY s.rid DESC LIMIT ${RESULT_CAP}`
    : `SELECT ${columns} FROM search_fts f CROSS JOIN search_notices s ON s.rid = f.rowid
       WHERE search_fts MATCH ?${where} ORDER BY f.rowid DESC LIMIT ${RESULT_CAP}`;
  const params: unknown[] = [at.since, at.now, ...(plan.match === null ? [] : [plan.match]), ...plan.params];
  // The unary + keeps the IN list away from FTS5 (it would run the query once per id).
  const relevance = mode === 'bm25'
    ? `SELECT f.rowid AS rid, bm25(search_fts, ${BM25_WEIGHTS.join(', ')}) AS score FROM search_fts f
       WHERE search_fts MATCH ? AND f.rowid <= (SELECT max(rid) FROM c) AND +f.rowid IN (SELECT rid FROM c)
       ORDER BY f.rowid DESC LIMIT (SELECT count(*) FROM c)`
    : titleWalk
      ? `SELECT f.rowid AS rid, -1 AS score FROM search_fts f
       WHERE search_fts MATCH ? AND f.rowid <= (SELECT max(rid) FROM c) AND f.rowid >= (SELECT min(rid) FROM c)
       ORDER BY f.rowid DESC`
      : 'SELECT 0 AS rid, 0 AS score WHERE 0';
  if (mode === 'bm25') params.push(plan.text);
  if (titleWalk) params.push(plan.titleAny);
  const score = mode === 'bm25' || titleWalk ? 'coalesce(r.score, 0)' : mode === 'title-first' ? '-c.in_title' : '0';
  // 0 the local area, 1 elsewhere in Sweden or a place unknown (Brygga's notices are Swedish unless they say otherwise), 2 abroad.
  const inRegions = (n: number) => `EXISTS (SELECT 1 FROM json_each(c.regions) WHERE value IN (${Array(n).fill('?').join(', ')}))`;
  const locality = query.sort === 'relevance'
    ? `CASE WHEN ${inRegions(at.localArea.length)} THEN 0 WHEN c.regions = '[]' OR ${inRegions(1)} THEN 1 ELSE 2 END`
    : '0';
  if (query.sort === 'relevance') params.push(...at.localArea, 'SE');
  // The query's words as a phrase in the title rank first (see titlePhrase).
  const phraseFirst = mode !== 'none' && plan.titlePhrase !== null;
  const inTitlePhrase = phraseFirst ? '+c.rid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)' : '0';
  if (phraseFirst) params.push(plan.titlePhrase);
  const sql = `WITH c AS MATERIALIZED (${candidates}),
    r AS MATERIALIZED (${relevance}),
    ranked AS (SELECT c.rid, c.deadline, c.published_at, c.is_open, ${locality} AS locality, ${score} AS score, ${inTitlePhrase} AS title_phrase
      FROM c LEFT JOIN r ON r.rid = c.rid),
    g AS MATERIALIZED (SELECT CASE WHEN awarded = 1 THEN 'awarded' WHEN is_open THEN 'open' ELSE 'closed' END AS status,
      kind, procedure, buyer_id, max(buyer) AS buyer, cpv_divisions, regions, flags, count(*) AS n
      FROM c GROUP BY 1, kind, procedure, buyer_id, cpv_divisions, regions, flags)
    ${whole
    ? `SELECT 'order' AS facet, group_concat(rid, ',' ORDER BY ${orderBy(query, mode)}) AS value, NULL AS label, count(*) AS n FROM ranked`
    : `SELECT 'hit' AS facet, rid AS value, NULL AS label, position AS n
      FROM (SELECT rid, row_number() OVER (ORDER BY ${orderBy(query, mode)}) AS position FROM ranked) WHERE position > ? AND position <= ?`}
    UNION ALL SELECT 'total', NULL, NULL, sum(n) FROM g
    UNION ALL SELECT 'status', status, NULL, sum(n) FROM g GROUP BY status
    UNION ALL SELECT 'kind', kind, NULL, sum(n) FROM g GROUP BY kind
    UNION ALL SELECT 'procedure', procedure, NULL, sum(n) FROM g WHERE procedure IS NOT NULL GROUP BY procedure
    UNION ALL SELECT 'buyer', buyer_id, max(buyer), sum(n) FROM g GROUP BY buyer_id
    UNION ALL SELECT 'cpv', j.value, NULL, sum(n) FROM g, json_each(g.cpv_divisions) AS j GROUP BY j.value
    UNION ALL SELECT 'region', j.value, NULL, sum(n) FROM g, json_each(g.regions) AS j GROUP BY j.value
    UNION ALL SELECT 'csr', j.value, NULL, sum(n) FROM g, json_each(g.flags) AS j GROUP BY j.value
    UNION ALL SELECT 'open-deadline', min(deadline), NULL, count(*) FROM c WHERE is_open AND deadline IS NOT NULL
    UNION ALL SELECT 'open-published', min(published_at), NULL, count(*) FROM c WHERE is_open AND deadline IS NULL`;
  return { sql, params };
}

/**
 * The boosts that multiply relevance (bm25 is negative: the lower, the
 * better): open ×3, the local area ×2 and the rest of Sweden ×1.5 (abroad
 * ×1), and ×1.25 for every year newer. Newness is counted from a fixed day,
 * not from now, so the order of two notices never changes with the clock
 * (a kept search stays right; see stillValid). See docs/search.md, "Ranking".
 */
export const BOOSTS = { open: 3, local: 2, sweden: 1.5, perYear: 1.25 } as const;

const BOOSTED_SCORE = `score * (CASE WHEN is_open THEN ${BOOSTS.open}.0 ELSE 1.0 END)
    * (CASE locality WHEN 0 THEN ${BOOSTS.local}.0 WHEN 1 THEN ${BOOSTS.sweden} ELSE 1.0 END)
    * pow(${BOOSTS.perYear}, (julianday(published_at) - julianday('2000-01-01')) / 365.25)`;

/**
 * Soonest deadline first, or the newest, when asked; else relevance: the
 * query's words as a phrase in the title first, then bm25 (or title matches
 * first) times the boosts; nothing but the boosts' order without words:
 * open notices before the rest, the local area before the rest of Sweden
 * before abroad, and the newest. Last, the most recently indexed, so the
 * order is total.
 */
export function orderBy(query: SearchQuery, mode: ReturnType<typeof rankingMode>): string {
  if (query.sort === 'deadline') return 'deadline IS NULL, deadline, published_at DESC, rid DESC';
  if (query.sort === 'newest') return 'published_at DESC, rid DESC';
  return `${mode === 'none' ? '' : `title_phrase DESC, ${BOOSTED_SCORE}, `}is_open DESC, locality, published_at DESC, rid DESC`;
}

/** Counts a row's tokens (in its text columns, not its tags) once each, by `by`. */
function countTokens(counts: Map<string, number>, values: string[], by: number): void {
  const tokens = new Set(values.slice(0, -1).join(' ').match(/[\p{L}\p{N}\p{Co}\p{M}]+/gu));
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + by);
}

/** Rows fetched by `rid`, presented in the page's order (`rids`), matched words marked; a row gone meanwhile is left out. */
export function presentHits(rows: (HitFields & { rid: number | string })[], rids: number[], query: SearchQuery, now: Date, alertMaxAgeDays: number): SearchHit[] {
  const byRid = new Map(rows.map((r) => [Number(r.rid), r]));
  const highlighter = new Highlighter(parseTextQuery(query.q));
  return rids.flatMap((rid) => {
    const r = byRid.get(rid);
    return r ? [presentHit(r, highlighter, now, alertMaxAgeDays)] : [];
  });
}

/** A hit as the API shows it: matched words marked in the title and in a snippet of the description; the status as of `now`. */
export function presentHit(r: HitFields, highlighter: Highlighter, now: Date, alertMaxAgeDays: number): SearchHit {
  const doc = { awarded: Number(r.awarded) === 1, invites: Number(r.invites) === 1, deadline: r.deadline, publishedAt: r.published_at };
  return {
    id: r.notice_id,
    title: r.title,
    titleHtml: markedToHtml(highlighter.mark(r.title)),
    snippet: markedToHtml(highlighter.snippet(r.description)),
    buyer: { id: r.buyer_id, name: r.buyer, orgNumber: r.buyer_org_number },
    kind: r.kind as NoticeKind,
    status: statusOf(doc, now, alertMaxAgeDays),
    procedure: r.procedure,
    cpv: r.main_cpv,
    deadline: r.deadline,
    publishedAt: r.published_at,
    estimatedValue: r.value_amount === null ? null : { amount: Number(r.value_amount), currency: r.value_currency ?? 'SEK' },
  };
}

