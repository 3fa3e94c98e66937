// GET /metrics in the Prometheus text format (prom-client), for staff and
// admins (an API token in `Authorization: Bearer`, as a scraper sends it).
// Its Registry is the runtime's (src/ops/process-metrics.ts: jobs, the match
// index, imports), one per runtime: several run side by side in tests.
// The HTTP histogram and the search fallbacks are counted as requests pass;
// everything else (queues, ledger, addresses, outbox, subscriptions) is read
// at scrape time, so it is right whichever process did the work.
// docs/operations.md lists every metric with example alerting rules.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Db } from '../../db/database.ts';
import type { ProcessMetrics } from '../ops/process-metrics.ts';
import { QUEUES } from '../queue/jobs.ts';
import type { Producer } from '../queue/producer.ts';
import type { SearchService } from '../search/search.service.ts';
import { activeSubscriptions, addressesByStatus, deliveriesByStatus, outboxBacklog } from './metrics.repo.ts';
import { routePattern } from './request-log.ts';
import { roles, SecuredRouter } from './secured-router.ts';

/** BullMQ's job states, as getJobCounts names them. */
const JOB_STATES = ['waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'completed', 'failed'] as const;
/** Redis must answer within this, or the scrape reports it down rather than hang. */
const REDIS_TIMEOUT_MS = 2000;

export type MetricsSources = { db: Db; producer: Producer; search: SearchService; log: Logger; process: ProcessMetrics };

export class Metrics {
  private readonly httpDuration = new Histogram({
    name: 'brygga_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly searchFallbacks = new Counter({
    name: 'brygga_search_fallbacks_total',
    help: 'Searches answered by the database index (FTS5 or PostgreSQL) because Meilisearch could not be reached',
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly searchBackend = new Gauge({
    name: 'brygga_search_backend_info',
    help: 'The configured search backend (1 for the one in use)',
    labelNames: ['backend'] as const,
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly jobs = new Gauge({
    name: 'brygga_queue_jobs',
    help: 'Jobs in each queue by state, read from BullMQ at scrape time (completed and failed as retained)',
    labelNames: ['queue', 'state'] as const,
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly redisUp = new Gauge({
    name: 'brygga_queue_redis_up',
    help: 'Whether the queue counts could be read from Redis at this scrape (1) or not (0)',
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly deliveries = new Gauge({
    name: 'brygga_email_deliveries',
    help: 'E-mails in the delivery ledger by status (sent, failed, pending), counted at scrape time',
    labelNames: ['status'] as const,
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly addresses = new Gauge({
    name: 'brygga_email_addresses',
    help: 'Firms by the status of their e-mail address (unconfirmed, confirmed, suspended), counted at scrape time',
    labelNames: ['status'] as const,
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly outboxBacklog = new Gauge({
    name: 'brygga_outbox_backlog',
    help: 'Outbox rows not yet relayed to the queues',
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly outboxAge = new Gauge({
    name: 'brygga_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not yet relayed (0 when none waits)',
    registers: [], // in the runtime's registry: see the constructor
  });
  private readonly matchIndex = new Gauge({
    name: 'brygga_match_index_subscriptions',
    help: 'Active subscriptions, each one rule in the match index',
    registers: [], // in the runtime's registry: see the constructor
  });
  /** A scrape that arrives while one is being read shares its reads. */
  private reading: Promise<void> | null = null;

  constructor(private readonly sources: MetricsSources) {
    for (const metric of [this.httpDuration, this.searchFallbacks, this.searchBackend, this.jobs, this.redisUp, this.deliveries,
      this.addresses, this.outboxBacklog, this.outboxAge, this.matchIndex]) {
      // A second application over the same runtime (tests) takes over from the first.
      sources.process.registry.removeSingleMetric((metric as unknown as { name: string }).name);
      sources.process.registry.registerMetric(metric);
    }
    this.searchBackend.set({ backend: sources.search.backend }, 1);
    sources.process.onScrape('http', () => this.read());
  }

  /** Times every request (mount it first); counts searches answered by the fallback. */
  readonly observe: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.httpDuration.observe({ method: req.method, route: routePattern(req), status: String(res.statusCode) }, seconds);
      if (String(res.getHeader('x-search-backend') ?? '').endsWith('-fallback')) this.searchFallbacks.inc();
    });
    next();
  };

  /** The /metrics route, for staff and admins. */
  router(): SecuredRouter {
    const router = new SecuredRouter();
    router.get('/metrics', roles('staff', 'admin'), async (_req, res) => {
      const text = await this.sources.process.scrape(); // reads the database and Redis first
      res.set('Content-Type', this.sources.process.contentType).send(text);
    });
    return router;
  }

  /** Reads what is counted at scrape time. */
  read(): Promise<void> {
    this.reading ??= Promise.all([this.readQueues(), this.readDatabase()]).then(
      () => undefined,
    ).finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readQueues(): Promise<void> {
    const { producer, log } = this.sources;
    try {
      const counts = await Promise.all(QUEUES.map((q) => withTimeout(producer.queue(q).getJobCounts(...JOB_STATES), REDIS_TIMEOUT_MS)));
      this.jobs.reset();
      QUEUES.forEach((queue, i) => {
        for (const state of JOB_STATES) this.jobs.set({ queue, state }, counts[i][state] ?? 0);
      });
      this.redisUp.set(1);
    } catch (error) {
      // No stale counts: the series go absent and brygga_queue_redis_up says why.
      this.jobs.reset();
      this.redisUp.set(0);
      log.warn({ err: (error as Error).message }, 'metrics: could not read the queue counts');
    }
  }

  private async readDatabase(): Promise<void> {
    const { db } = this.sources;
    const [deliveries, addresses, outbox, subscriptions] = await Promise.all([
      deliveriesByStatus(db), addressesByStatus(db), outboxBacklog(db), activeSubscriptions(db),
    ]);
    this.deliveries.reset();
    // Always present, so alerting rules see a 0 rather than nothing.
    for (const status of ['pending', 'sent', 'failed']) this.deliveries.set({ status }, 0);
    for (const d of deliveries) this.deliveries.set({ status: d.status }, d.count);
    this.addresses.reset();
    for (const status of ['unconfirmed', 'confirmed', 'suspended']) this.addresses.set({ status }, 0);
    for (const a of addresses) this.addresses.set({ status: a.status }, a.count);
    this.outboxBacklog.set(outbox.count);
    this.outboxAge.set(outbox.oldest ? Math.max(0, (Date.now() - Date.parse(outbox.oldest)) / 1000) : 0);
    this.matchIndex.set(subscriptions);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
