// Meilisearch when configured; the index in Brygga's own database (FTS5 on
// SQLite, full-text search on PostgreSQL) whenever Meilisearch cannot be
// reached. Writes go to the database's index first (it must always be in step
// to answer in its place), then to Meilisearch; a failed Meilisearch write is
// recorded as pending and thrown, so the index job retries, and pending
// notices are sent again as soon as Meilisearch answers.
import type { Logger } from 'pino';
import { isUnavailable, type MeiliSearchIndex } from './meilisearch.ts';
import type { DatabaseSearchIndex, DocumentSource, SearchDocument, SearchIndex, SearchQuery, SearchResult } from './search.types.ts';

export type DocumentLoader = (ids: string[]) => Promise<Map<string, SearchDocument | null>>;

export class FallbackSearchIndex implements SearchIndex {
  readonly name = 'meilisearch' as const;
  /** While Meilisearch is down, searches go straight to the fallback until this time, then probe it again. */
  private downUntil = 0;
  private down = false;
  private draining: Promise<void> | null = null;
  private lastFallbackLog = 0;
  private fallbackAnswers = 0;

  constructor(
    readonly primary: MeiliSearchIndex,
    readonly fallback: DatabaseSearchIndex,
    private readonly log: Logger,
    private readonly load: DocumentLoader,
    private readonly retryMs = 5000,
  ) {}

  /** The database's index must come up; Meilisearch may be down at start (writes retry), but a refused key stops start-up. */
  async init(): Promise<void> {
    await this.fallback.init();
    try {
      await this.primary.init();
      // Notices that did not reach Meilisearch before (e.g. it was down when their jobs gave up).
      void this.drain();
    } catch (error) {
      const status = (error as { response?: Response }).response?.status;
      if (status === 401 || status === 403) throw new Error(`MEILI_KEY: Meilisearch refused the key (${(error as Error).message})`, { cause: error });
      this.log.warn({ err: (error as Error).message, backend: this.fallbackName }, `meilisearch not ready at start; searching ${this.fallbackLabel} until it is`);
      this.markDown(error);
    }
  }

  /** What X-Search-Backend says when the database's index answers: fts5-fallback or postgres-fallback. */
  get fallbackName(): `${DatabaseSearchIndex['name']}-fallback` {
    return `${this.fallback.name}-fallback`;
  }

  /** The fallback as the log names it. */
  private get fallbackLabel(): string {
    return this.fallback.name === 'fts5' ? 'FTS5' : 'PostgreSQL';
  }

  private markDown(error: unknown): void {
    this.downUntil = Date.now() + this.retryMs;
    if (!this.down) this.log.warn({ err: (error as Error).message, backend: this.fallbackName }, `meilisearch unreachable: answering searches from ${this.fallbackLabel}`);
    this.down = true;
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.downUntil = 0;
    this.log.info('meilisearch reachable again');
    void this.drain();
  }

  async search(query: SearchQuery, now = new Date()): Promise<SearchResult> {
    if (Date.now() >= this.downUntil) {
      try {
        const result = await this.primary.search(query, now);
        this.markUp();
        return result;
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        this.markDown(error);
      }
    }
    // One warning per retry window, with how many searches the fallback answered.
    this.fallbackAnswers++;
    if (Date.now() - this.lastFallbackLog >= this.retryMs) {
      this.log.warn({ backend: this.fallbackName, searches: this.fallbackAnswers }, `searches answered from ${this.fallbackLabel}: meilisearch unreachable`);
      this.lastFallbackLog = Date.now();
      this.fallbackAnswers = 0;
    }
    return { ...(await this.fallback.search(query, now)), backend: this.fallbackName };
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    await this.fallback.upsert(docs);
    await this.toPrimary(docs.map((d) => d.id), () => this.primary.upsert(docs));
  }

  async remove(ids: string[]): Promise<void> {
    await this.fallback.remove(ids);
    await this.toPrimary(ids, () => this.primary.remove(ids));
  }

  private async toPrimary(ids: string[], write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      await this.fallback.markPending(ids);
      if (isUnavailable(error)) this.markDown(error);
      throw error;
    }
    await this.fallback.clearPending(ids);
    this.markUp();
    await this.drain();
  }

  /**
   * Sends Meilisearch the current state of every pending notice, 200 at a
   * time; one drain at a time. It stops while Meilisearch is unreachable. A
   * notice Meilisearch rejects (a failed task) is logged and let go, so it
   * cannot hold up the others: its own job retries it, and reindex repairs.
   */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        for (;;) {
          const ids = await this.fallback.pendingIds(200);
          if (ids.length === 0) return;
          const docs = await this.load(ids);
          try {
            await this.send(ids, docs);
          } catch (error) {
            if (isUnavailable(error)) throw error;
            for (const id of ids) {
              await this.send([id], docs).catch((e: Error) => {
                if (isUnavailable(e)) throw e;
                this.log.error({ noticeId: id, err: e.message }, 'meilisearch rejected a pending notice; it is left to its index job and reindex');
              });
            }
          }
          await this.fallback.clearPending(ids);
          this.log.info({ notices: ids.length }, 'pending notices sent to meilisearch');
        }
      } catch (error) {
        this.log.warn({ err: (error as Error).message }, 'meilisearch catch-up stopped; it resumes with the next successful write');
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async send(ids: string[], docs: Map<string, SearchDocument | null>): Promise<void> {
    await this.primary.upsert(ids.map((id) => docs.get(id)).filter((d): d is SearchDocument => Boolean(d)));
    await this.primary.remove(ids.filter((id) => !docs.get(id)));
  }

  /** Both indexes from the same source; what was pending before is then in Meilisearch. */
  async rebuild(source: DocumentSource, onProgress?: (done: number) => void): Promise<number> {
    const started = new Date().toISOString();
    await this.fallback.rebuild(source, onProgress);
    const n = await this.primary.rebuild(source, onProgress);
    await this.fallback.clearPending({ before: started });
    return n;
  }

  count(): Promise<number> {
    return this.primary.count();
  }

  async close(): Promise<void> {
    await this.draining;
  }
}
