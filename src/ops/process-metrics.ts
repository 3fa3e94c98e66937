// The metrics a process counts itself, as the work passes through it: jobs
// run (by queue and outcome), the match index rebuilt, following changes and applied, files
// imported. One Registry per Runtime (tests run several side by side); the web
// application adds its HTTP metrics and its scrape-time reads to it
// (src/http/metrics.ts), and `METRICS_PORT` serves it on 127.0.0.1 in any
// process (src/ops/metrics-server.ts), `npm run workers` included.
// docs/operations.md lists every metric.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type JobOutcome = 'completed' | 'failed';

export class ProcessMetrics {
  readonly registry = new Registry();
  readonly jobDuration = new Histogram({
    name: 'brygga_job_duration_seconds',
    help: 'Time a worker of this process took to run a job, by queue and outcome (completed, failed: one attempt each)',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly matchIndexRebuild = new Histogram({
    name: 'brygga_match_index_rebuild_seconds',
    help: "Time to rebuild this process's match index from the subscriptions (done when they changed)",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly matchIndexFollow = new Histogram({
    name: 'brygga_match_index_follow_seconds',
    help: "Time to apply the subscription and profile changes since the revision held to this process's match index (instead of a rebuild)",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly matchIndexRules = new Gauge({
    name: 'brygga_match_index_rules',
    help: "Rules (subscriptions) in this process's match index at its last rebuild or change",
    registers: [this.registry],
  });
  readonly matchIndexApply = new Histogram({
    name: 'brygga_match_index_apply_seconds',
    help: 'Time to match one stored notice against the match index (the match job), not counting storing the matches',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly ingestNotices = new Counter({
    name: 'brygga_ingest_notices_total',
    help: 'Notices imported through POST /api/import by this process, by format and outcome (new, updated, unchanged, rejected)',
    labelNames: ['format', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly ingestFiles = new Counter({
    name: 'brygga_ingest_files_total',
    help: 'Files imported through POST /api/import by this process, by format (unknown: not recognised) and outcome (stored, rejected)',
    labelNames: ['format', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly beforeScrape = new Map<string, () => Promise<void>>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'brygga_' });
  }

  /** Work to do before each scrape (the web application's reads of the database and Redis); one per key. */
  onScrape(key: string, read: () => Promise<void>): void {
    this.beforeScrape.set(key, read);
  }

  /** The exposition: reads what is read at scrape time, then renders every metric. */
  async scrape(): Promise<string> {
    await Promise.all([...this.beforeScrape.values()].map((read) => read()));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Times a job; the outcome is 'failed' when it throws. */
  async timeJob<T>(queue: string, run: () => Promise<T>): Promise<T> {
    const end = this.jobDuration.startTimer({ queue });
    try {
      const value = await run();
      end({ outcome: 'completed' });
      return value;
    } catch (error) {
      end({ outcome: 'failed' });
      throw error;
    }
  }

  /** Counts one imported file's result. */
  countIngest(result: { format: string | null; new: number; updated: number; unchanged: number; rejected: unknown[]; error: string | null }): void {
    const format = result.format ?? 'unknown';
    this.ingestFiles.inc({ format, outcome: result.error ? 'rejected' : 'stored' });
    if (result.error) return; // nothing of a refused file was stored
    for (const outcome of ['new', 'updated', 'unchanged'] as const) {
      if (result[outcome]) this.ingestNotices.inc({ format, outcome }, result[outcome]);
    }
    if (result.rejected.length) this.ingestNotices.inc({ format, outcome: 'rejected' }, result.rejected.length);
  }
}
