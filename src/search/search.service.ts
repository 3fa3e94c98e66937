// Search as the rest of Brygga sees it: index a notice (the index job),
// rebuild everything (npm run reindex), search (the API). Backend-neutral:
// the database's own index alone (FTS5 on SQLite, full-text search on
// PostgreSQL), or Meilisearch with that index beside it as the fallback.
import type { Logger } from 'pino';
import { isPostgres, type Db } from '../../db/database.ts';
import type { Config } from '../config.ts';
import { loadCpvLabels } from '../cpv/cpv-labels.ts';
import { CPV_DIVISIONS } from '../domain/cpv.ts';
import { BUILT_IN_MUNICIPALITIES } from '../domain/regions.ts';
import { PlaceResolver } from '../regions/notice-place.ts';
import { activeDocuments, loadDocuments } from './document.ts';
import { FallbackSearchIndex } from './fallback.ts';
import { FtsSearchIndex, RESULT_CACHE_SIZE } from './fts5.ts';
import { MeiliSearchIndex } from './meilisearch.ts';
import { PostgresSearchIndex } from './postgres.ts';
import { buyerNames, countActiveNotices, municipalityNames } from './search.repo.ts';
import {
  DEFAULT_RULES, type DatabaseSearchIndex, type DocumentSource, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult, type SearchRules,
} from './search.types.ts';

/** An empty index with at most this many notices to index is filled at start-up; more wait for `npm run reindex`. */
export const AUTO_FILL_LIMIT = 50_000;

export type IndexOutcome = 'indexed' | 'removed';

export class SearchService {
  /** The index in the database (full-text search): FTS5 on SQLite, PostgreSQL's own on PostgreSQL. Always written, the fallback of Meilisearch. */
  readonly fts: DatabaseSearchIndex;
  readonly meili: MeiliSearchIndex | null;
  /** What answers searches and takes writes. */
  readonly index: SearchIndex;
  private readonly places: PlaceResolver;
  /** Jobs for the same notice run one after the other in this process. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    meili: { url: string; key: string | null; indexUid: string } | null = null,
    rules: SearchRules = DEFAULT_RULES,
  ) {
    this.places = new PlaceResolver(db);
    this.fts = isPostgres(db) ? new PostgresSearchIndex(db, log, { rules }) : new FtsSearchIndex(db, log, { rules, cacheSize: RESULT_CACHE_SIZE });
    this.meili = meili ? new MeiliSearchIndex({ url: meili.url, key: meili.key, indexUid: meili.indexUid, rules }) : null;
    this.index = this.meili ? new FallbackSearchIndex(this.meili, this.fts, log, (ids) => this.documents(ids)) : this.fts;
  }

  get backend(): SearchIndex['name'] {
    return this.index.name;
  }

  /**
   * Prepares the indexes. An index that is empty (new, or its layout
   * changed) while there are notices is filled now when that is quick; a
   * larger one waits for `npm run reindex`, with a warning.
   */
  async init(): Promise<void> {
    await this.index.init();
    const notices = await countActiveNotices(this.db);
    if (notices === 0) return;
    if ((await this.fts.count()) === 0) await this.fill(this.fts, notices);
    if (this.meili) {
      // Meilisearch may be down now; then the index job and reindex deal with it.
      const empty = await this.meili.count().then((n) => n === 0, () => false);
      if (empty) await this.fill(this.meili, notices).catch((error: Error) => this.log.warn({ err: error.message }, 'could not fill meilisearch'));
    }
  }

  private async fill(index: SearchIndex, notices: number): Promise<void> {
    if (notices > AUTO_FILL_LIMIT) {
      this.log.warn({ notices, backend: index.name }, 'the search index is empty: run `npm run reindex` to fill it');
      return;
    }
    const n = await index.rebuild(this.source());
    this.log.info({ notices: n, backend: index.name }, 'search index filled from the database');
  }

  documents(ids: string[]): Promise<Map<string, SearchDocument | null>> {
    return loadDocuments(this.db, this.places, ids);
  }

  source(batch = 500): DocumentSource {
    return () => activeDocuments(this.db, this.places, batch);
  }

  /**
   * The index job: the notice as it is now goes into the index, or leaves it
   * when it is withdrawn or gone. Idempotent; a retry repeats it safely.
   */
  indexNotice(noticeId: string): Promise<IndexOutcome> {
    const previous = this.running.get(noticeId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async (): Promise<IndexOutcome> => {
      const doc = (await this.documents([noticeId])).get(noticeId) ?? null;
      if (doc) {
        await this.index.upsert([doc]);
        return 'indexed';
      }
      await this.index.remove([noticeId]);
      return 'removed';
    });
    this.running.set(noticeId, next);
    const forget = () => {
      if (this.running.get(noticeId) === next) this.running.delete(noticeId);
    };
    next.then(forget, forget);
    return next;
  }

  /** Rebuilds the configured indexes (the database's, and Meilisearch when configured) from the database; counts by backend name. */
  async reindex(onProgress?: (backend: string, done: number) => void): Promise<Record<string, number>> {
    // A notice is found by its categories' names: the documents take the list as stored now (`npm run import:cpv`).
    await loadCpvLabels(this.db);
    const counts: Record<string, number> = {};
    const source = this.source();
    await this.index.init();
    const { name } = this.fts;
    counts[name] = await this.fts.rebuild(source, (n) => onProgress?.(name, n));
    if (this.meili) {
      const started = new Date().toISOString();
      counts.meilisearch = await this.meili.rebuild(source, (n) => onProgress?.('meilisearch', n));
      await this.fts.clearPending({ before: started });
    }
    return counts;
  }

  async search(query: SearchQuery, now = new Date()): Promise<SearchResult> {
    const result = await this.index.search(query, now);
    await this.label(result);
    return result;
  }

  /** Names for codes: CPV divisions, buyers, municipalities. */
  private async label(result: SearchResult): Promise<void> {
    for (const f of result.facets.cpv) f.label ??= CPV_DIVISIONS[f.value.slice(0, 2)]?.sv;
    const buyers = result.facets.buyer.filter((f) => f.label === undefined).map((f) => f.value);
    if (buyers.length) {
      const names = await buyerNames(this.db, buyers);
      for (const f of result.facets.buyer) f.label ??= names.get(f.value);
    }
    const municipalities = result.facets.region.filter((f) => /^\d{4}$/.test(f.value)).map((f) => f.value);
    if (municipalities.length) {
      const names = new Map([...BUILT_IN_MUNICIPALITIES.map((m) => [m.code, m.name] as const), ...(await municipalityNames(this.db, municipalities))]);
      for (const f of result.facets.region) f.label ??= names.get(f.value);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.running.values());
    await this.index.close();
  }
}

/**
 * The search of this configuration: the database's index (FTS5 on SQLite, full-text search on a PostgreSQL DATABASE_URL), or
 * Meilisearch (index `<QUEUE_PREFIX>-notices`, without braces) with the database's index as its fallback;
 * `local` and `open` as subscriptions and alerts mean them.
 */
export function createSearch(config: Config, db: Db, log: Logger): SearchService {
  const { meiliUrl, meiliKey } = config.search;
  const meili = meiliUrl ? { url: meiliUrl, key: meiliKey, indexUid: `${config.queuePrefix.replace(/[{}]/g, '')}-notices` } : null;
  return new SearchService(db, log, meili, { localArea: config.localArea, alertMaxAgeDays: config.alertMaxAgeDays });
}
