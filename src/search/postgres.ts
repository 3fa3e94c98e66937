// The search index of a PostgreSQL database: its own full-text search. All
// PostgreSQL-only search SQL lives here and in postgres.query.ts.
//
// Tables, created here rather than by migrations (an index that can always
// be rebuilt from `notices`):
// - search_documents: one row per indexed notice: the text as written (hits
//   and snippets show it), the columns filters, facets and the order need,
//   and `document`, the weighted tsvector of Brygga's analysed tokens
//   (postgres.query.ts), with a GIN index, as are the CPV codes and regions;
// - search_pending: notices Meilisearch has still to receive (when configured);
// - search_meta: the layout version; a new version drops and refills the index.
//
// It answers as FTS5 does (the contract suite holds both to the same
// answers): the same candidates (at most RESULT_CAP, the most recently
// indexed, numbered in the same two ranges: HISTORY_RIDS), filters,
// open/closed decided when asked, facets, boosts, title phrase and related
// categories, and hits marked by the same Highlighter.
// Where it differs, docs/search.md says so ("PostgreSQL").
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { inTransaction, type Db } from '../../db/database.ts';
import { RELATED_BELOW, RELATED_SAMPLE, dedupe, presentHits, type HitFields } from './fts5.ts';
import { queryContext } from './fts5.query.ts';
import { DOCUMENT_COLUMNS, documentRow, planQuery, searchStatement, wordsQuery } from './postgres.query.ts';
import {
  DEFAULT_RULES, FACET_NAMES, HISTORY_RIDS, RESULT_CAP, emptyFacets, trimFacet,
  type DatabaseSearchIndex, type DocumentSource, type FacetName, type Facets, type SearchDocument, type SearchQuery, type SearchResult,
  type SearchRules,
} from './search.types.ts';
import { parseTextQuery } from './text.ts';

/** Bump when the table, the vector or the analysis change: the index is then dropped, and refilled at start-up or by reindex. */
export const PG_LAYOUT_VERSION = '2';

/** Rows per INSERT: 27 parameters each, well under PostgreSQL's 65,535. */
const CHUNK = 400;

const HIT_COLUMNS = 'rid, notice_id, title, description, buyer, kind, procedure, buyer_id, buyer_org_number, main_cpv, awarded, invites, '
  + 'deadline, published_at, value_amount, value_currency';

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class PostgresSearchIndex implements DatabaseSearchIndex {
  readonly name = 'postgres' as const;
  private readonly rules: SearchRules;

  constructor(
    private readonly db: Db,
    private readonly log?: Logger,
    options: { rules?: SearchRules } = {},
  ) {
    this.rules = options.rules ?? DEFAULT_RULES;
  }

  /**
   * Creates the tables; drops and recreates them (empty) when the layout
   * version changed. inTransaction's write lock (one per schema) keeps an API
   * process and a worker starting together from both creating them.
   */
  async init(): Promise<void> {
    await inTransaction(this.db, async (db) => {
      await sql`CREATE TABLE IF NOT EXISTS search_meta (key text PRIMARY KEY, value text NOT NULL)`.execute(db);
      const { rows: [meta] } = await sql<{ value: string }>`SELECT value FROM search_meta WHERE key = 'layout'`.execute(db);
      if (meta?.value !== PG_LAYOUT_VERSION) {
        if (meta) this.log?.warn({ from: meta.value, to: PG_LAYOUT_VERSION }, 'search index layout changed: the PostgreSQL index is rebuilt');
        await sql`DROP TABLE IF EXISTS search_documents`.execute(db);
        await sql`DROP SEQUENCE IF EXISTS search_rids_invite`.execute(db);
        await sql`DROP SEQUENCE IF EXISTS search_rids_history`.execute(db);
      }
      // The numbers of new documents (documentRow): those that may invite firms above the rest.
      await sql`CREATE SEQUENCE IF NOT EXISTS search_rids_invite START 1`.execute(db);
      await sql.raw(`CREATE SEQUENCE IF NOT EXISTS search_rids_history MINVALUE ${HISTORY_RIDS} MAXVALUE -1 START ${HISTORY_RIDS + 1}`).execute(db);
      // Dates are ISO-8601 text compared byte by byte (COLLATE "C"), as statusOf and FTS5 compare them.
      await sql`CREATE TABLE IF NOT EXISTS search_documents (
        rid bigint PRIMARY KEY,
        notice_id text NOT NULL UNIQUE,
        revision integer NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        buyer text NOT NULL,
        codes text NOT NULL,
        labels text NOT NULL,
        broader text NOT NULL,
        kind text NOT NULL,
        procedure text,
        buyer_id text NOT NULL,
        buyer_org_number text,
        main_cpv text COLLATE "C" NOT NULL,
        awarded boolean NOT NULL,
        invites boolean NOT NULL,
        deadline text COLLATE "C",
        published_at text COLLATE "C" NOT NULL,
        years double precision NOT NULL,
        value_amount double precision,
        value_currency text,
        value_sek double precision,
        cpv text[] NOT NULL,
        cpv_divisions text[] NOT NULL,
        regions text[] NOT NULL,
        flags text[] NOT NULL,
        document tsvector NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS search_documents_document ON search_documents USING gin (document)`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS search_documents_cpv ON search_documents USING gin (cpv)`.execute(db);
      await sql`CREATE INDEX IF NOT EXISTS search_documents_regions ON search_documents USING gin (regions)`.execute(db);
      await sql`CREATE TABLE IF NOT EXISTS search_pending (notice_id text PRIMARY KEY, since text COLLATE "C" NOT NULL)`.execute(db);
      await sql`INSERT INTO search_meta (key, value) VALUES ('layout', ${PG_LAYOUT_VERSION})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
    });
  }

  async count(): Promise<number> {
    const { rows: [row] } = await sql<{ n: number }>`SELECT count(*) AS n FROM search_documents`.execute(this.db);
    return Number(row.n);
  }

  /**
   * Adds or replaces documents. A document older (by revision) than the one
   * indexed is ignored, so a late job cannot put back an old version. A
   * replaced row keeps its place (rid) among the most recently indexed, as in FTS5.
   */
  async upsert(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const columns = sql.raw(DOCUMENT_COLUMNS.join(', '));
    const updates = sql.raw(DOCUMENT_COLUMNS.filter((c) => c !== 'notice_id').map((c) => `${c} = excluded.${c}`).join(', '));
    await inTransaction(this.db, async (db) => {
      for (const batch of chunks(dedupe(docs))) {
        await sql`INSERT INTO search_documents (rid, ${columns}) VALUES ${sql.join(batch.map(documentRow))}
          ON CONFLICT (notice_id) DO UPDATE SET ${updates} WHERE search_documents.revision <= excluded.revision`.execute(db);
      }
    });
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await sql`DELETE FROM search_documents WHERE notice_id = ANY(${[...new Set(ids)]}::text[])`.execute(this.db);
  }

  /**
   * Upserts every document of the source, batch by batch (searches keep
   * answering meanwhile), then removes what the source no longer has, and
   * refreshes the planner's statistics after the bulk load.
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
      const { rows } = await sql<{ rid: number; notice_id: string }>`SELECT rid, notice_id FROM search_documents
        WHERE rid > ${after} ORDER BY rid LIMIT 5000`.execute(this.db);
      if (rows.length === 0) break;
      await this.remove(rows.filter((r) => !seen.has(r.notice_id)).map((r) => r.notice_id));
      after = Number(rows[rows.length - 1].rid);
    }
    await sql`ANALYZE search_documents`.execute(this.db);
    return seen.size;
  }

  /** One statement: the candidates, their order, the page and the facet counts; then the page's hits with their marks. */
  async search(query: SearchQuery, now = new Date()): Promise<SearchResult> {
    const at = queryContext(now, this.rules);
    const plan = planQuery(query, at, await this.relatedCategories(query.q));
    const offset = (query.page - 1) * query.pageSize;
    const { rows } = await searchStatement(plan, query, at, offset, offset + query.pageSize).execute(this.db);
    const facets: Facets = emptyFacets();
    const positions: { rid: number; position: number }[] = [];
    let total = 0;
    for (const row of rows) {
      if (row.facet === 'hit') positions.push({ rid: Number(row.value), position: Number(row.n) });
      else if (row.facet === 'total') total = Number(row.n);
      else if ((FACET_NAMES as readonly string[]).includes(row.facet) && row.value !== null) {
        facets[row.facet as FacetName].push({ value: row.value, count: Number(row.n), ...(row.label ? { label: row.label } : {}) });
      }
    }
    for (const name of FACET_NAMES) facets[name] = trimFacet(facets[name]);
    const page = positions.sort((a, b) => a.position - b.position).map((p) => p.rid);
    const hits = await this.hits(query, page, now);
    return { hits, total, totalExact: total < RESULT_CAP, page: query.page, pageSize: query.pageSize, facets, backend: 'postgres' };
  }

  /**
   * As FTS5's (see FtsSearchIndex.relatedCategories): when the words find
   * fewer than RELATED_BELOW notices, the CPV categories (five-digit level)
   * that holds a fifth or more, and at least three, of the latest
   * RELATED_SAMPLE notices with the words in their title; at most three, and
   * only as many notices as the candidates have room for.
   */
  async relatedCategories(q: string): Promise<string[]> {
    const text = parseTextQuery(q);
    const words = wordsQuery(text);
    const title = wordsQuery(text, { title: true });
    if (words === null || title === null) return [];
    const { rows: [found] } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM search_documents
      WHERE document @@ ${words}::tsquery LIMIT ${RELATED_BELOW}) f`.execute(this.db);
    if (Number(found.n) >= RELATED_BELOW) return [];
    const { rows } = await sql<{ code: string; n: number; total: number }>`SELECT substr(s.main_cpv, 1, 5) AS code, count(*) AS n,
      sum(count(*)) OVER () AS total
      FROM (SELECT main_cpv FROM search_documents WHERE document @@ ${title}::tsquery ORDER BY rid DESC LIMIT ${RELATED_SAMPLE}) s
      GROUP BY 1 ORDER BY n DESC, code LIMIT 3`.execute(this.db);
    // Only as many as the candidates hold (RESULT_CAP): a larger category would push out notices with the words.
    let room = RESULT_CAP - Number(found.n);
    const out: string[] = [];
    for (const r of rows) {
      if (Number(r.n) < 3 || Number(r.n) * 5 < Number(r.total)) continue;
      const code = r.code.padEnd(8, '0');
      const { rows: [size] } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM search_documents
        WHERE cpv && ${[code]}::text[] LIMIT ${RESULT_CAP}) f`.execute(this.db);
      if (Number(size.n) > room) continue;
      room -= Number(size.n);
      out.push(code);
    }
    return out;
  }

  /** The page's hits in page order, matched words marked by the same rules as FTS5's. */
  private async hits(query: SearchQuery, rids: number[], now: Date) {
    if (rids.length === 0) return [];
    const { rows } = await sql<HitFields & { rid: number }>`SELECT ${sql.raw(HIT_COLUMNS)} FROM search_documents
      WHERE rid = ANY(${rids}::bigint[])`.execute(this.db);
    return presentHits(rows, rids, query, now, this.rules.alertMaxAgeDays);
  }

  async markPending(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await sql`INSERT INTO search_pending (notice_id, since) SELECT id, ${new Date().toISOString()} FROM unnest(${[...new Set(ids)]}::text[]) AS id
      ON CONFLICT (notice_id) DO NOTHING`.execute(this.db);
  }

  async pendingIds(limit: number): Promise<string[]> {
    const { rows } = await sql<{ notice_id: string }>`SELECT notice_id FROM search_pending ORDER BY since, notice_id COLLATE "C" LIMIT ${limit}`
      .execute(this.db);
    return rows.map((r) => r.notice_id);
  }

  async clearPending(ids: string[] | { before: string }): Promise<void> {
    if (Array.isArray(ids)) {
      if (ids.length) await sql`DELETE FROM search_pending WHERE notice_id = ANY(${ids}::text[])`.execute(this.db);
    } else {
      await sql`DELETE FROM search_pending WHERE since < ${ids.before}`.execute(this.db);
    }
  }

  async close(): Promise<void> {}
}
