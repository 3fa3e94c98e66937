// Runs one BullMQ worker per queue, in this process.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '../src/queue/jobs.ts';
import { ensureSchedulers, upsertSchedulers } from '../src/queue/schedules.ts';
import type { Runtime } from '../src/runtime.ts';
import { processorFor, type WorkerContext } from './processors.ts';

export type Workers = { close(): Promise<void> };

export type WorkerOptions = {
  /** How often reconciliation runs (default RECONCILE_EVERY_MS, 5 minutes); the schedulers are checked at least once a minute. */
  reconcileEveryMs?: number;
  /** Reconciliation leaves notices changed and matches made this recently to the jobs in flight (default RECONCILE_GRACE_MS, 1 minute). */
  reconcileGraceMs?: number;
};

export function startWorkers(rt: Runtime, opts: WorkerOptions = {}): Workers {
  const { config } = rt;
  const options = {
    redisUrl: config.redisUrl, prefix: config.queuePrefix, concurrency: config.workerConcurrency,
    mailRatePerSecond: config.mail.ratePerSecond, lockMs: config.workerLockMs,
  };
  const reconcile = { everyMs: opts.reconcileEveryMs ?? config.reconcile.everyMs, graceMs: opts.reconcileGraceMs ?? config.reconcile.graceMs };
  // Digests go out on a schedule, and reconciliation runs on one; upserting is
  // idempotent, so every worker process may do it. One reconciliation at start-up.
  const scheduled = upsertSchedulers(rt.producer, reconcile)
    .then(() => rt.producer.addBulk('reconcile', [{ trigger: 'start', graceMs: reconcile.graceMs }]))
    .catch((error) => rt.log.error({ err: (error as Error).message }, 'could not schedule digests and reconciliation'));
  // A Redis that lost its data lost the schedulers too: put them back, and reconcile at once.
  let checking = false;
  const checker = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      const missing = await ensureSchedulers(rt.producer, reconcile);
      if (missing.length) {
        rt.log.warn({ schedulers: missing }, 'job schedulers were missing (did Redis lose its data?): re-created them; reconciling now');
        await rt.producer.addBulk('reconcile', [{ trigger: 'schedulers-lost', graceMs: reconcile.graceMs }]);
      }
    } catch (error) {
      rt.log.warn({ err: (error as Error).message }, 'could not check the job schedulers');
    } finally {
      checking = false;
    }
  }, Math.min(60_000, reconcile.everyMs));
  checker.unref();

  const ctx: WorkerContext = {
    producer: rt.producer, mail: rt.mail, engine: rt.engine, search: rt.search, log: rt.log, config: rt.config, metrics: rt.metrics,
    reconcileEveryMs: reconcile.everyMs,
  };
  const workers = QUEUES.map((queue) => {
    const processor = processorFor(queue, ctx);
    // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for that connection.
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => rt.log.warn({ queue, err: error.message }, 'redis connection error'));
    // Each queue that sends mail has its own limiter: alerts (notify), digests and
    // account e-mail (confirmations, registration attempts) never wait on each other.
    const sendsMail = queue === 'notify' || queue === 'digest' || queue === 'account';
    const worker = new Worker(queue, processor, {
      connection,
      prefix: options.prefix,
      concurrency: queue === 'reconcile' ? 1 : sendsMail ? options.concurrency : Math.max(1, Math.floor(options.concurrency / 2)),
      // Mail goes out no faster than the SMTP relay allows (across all workers).
      limiter: sendsMail ? { max: options.mailRatePerSecond, duration: 1000 } : undefined,
      // A crashed worker's jobs are taken up again once their lock runs out.
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // BullMQ fails a job for good the second time its worker dies mid-run (1 by default);
      // a job is rarely what kills a worker, so it may outlive a few crashes in a row.
      maxStalledCount: 3,
    });
    worker.on('failed', (job, error) =>
      rt.log.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed'),
    );
    worker.on('error', (error) => rt.log.error({ queue, err: error.message }, 'worker error'));
    return { worker, connection };
  });
  return {
    /**
     * Waits for running jobs to finish (nothing is cut off mid-send), but at most
     * SHUTDOWN_TIMEOUT_MS: then the connections are dropped, and the jobs still
     * running go back to the queue when their lock runs out (WORKER_LOCK_MS).
     */
    async close() {
      clearInterval(checker);
      const graceful = (async () => {
        await scheduled;
        await Promise.all(workers.map((w) => w.worker.close()));
        await Promise.all(workers.map((w) => w.connection.quit().catch(() => undefined)));
      })();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), config.shutdownTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (!timedOut) return;
      rt.log.warn(
        { timeoutMs: config.shutdownTimeoutMs },
        'workers did not stop within SHUTDOWN_TIMEOUT_MS: closing them now; running jobs return to the queue when their lock runs out',
      );
      graceful.catch(() => undefined);
      for (const w of workers) w.connection.disconnect();
    },
  };
}
