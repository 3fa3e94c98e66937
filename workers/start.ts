// Runs one BullMQ worker per queue, in this process.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DIGEST_SCHEDULES, QUEUES } from '../src/queue/jobs.ts';
import type { Runtime } from '../src/runtime.ts';
import { processorFor } from './processors.ts';

export type Workers = { close(): Promise<void> };

export function startWorkers(rt: Runtime): Workers {
  const { config } = rt;
  const options = {
    redisUrl: config.redisUrl, prefix: config.queuePrefix, concurrency: config.workerConcurrency,
    mailRatePerSecond: config.mail.ratePerSecond, lockMs: config.workerLockMs,
  };
  // Digests go out on a schedule; upserting is idempotent, so every worker process may do it.
  const digests = rt.producer.queue('digest');
  const scheduled = Promise.all(
    (Object.keys(DIGEST_SCHEDULES) as (keyof typeof DIGEST_SCHEDULES)[]).map((frequency) =>
      digests.upsertJobScheduler(`digest-${frequency}`, DIGEST_SCHEDULES[frequency], { name: 'plan', data: { step: 'plan', frequency } }),
    ),
  ).catch((error) => rt.log.error({ err: (error as Error).message }, 'could not schedule digests'));
  const workers = QUEUES.map((queue) => {
    const processor = processorFor(queue, rt);
    // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for that connection.
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => rt.log.warn({ queue, err: error.message }, 'redis connection error'));
    // Each queue that sends mail has its own limiter: alerts (notify), digests and
    // account e-mail (confirmations, registration attempts) never wait on each other.
    const sendsMail = queue === 'notify' || queue === 'digest' || queue === 'account';
    const worker = new Worker(queue, processor, {
      connection,
      prefix: options.prefix,
      concurrency: sendsMail ? options.concurrency : Math.max(1, Math.floor(options.concurrency / 2)),
      // Mail goes out no faster than the SMTP relay allows (across all workers).
      limiter: sendsMail ? { max: options.mailRatePerSecond, duration: 1000 } : undefined,
      // A crashed worker's jobs are taken up again once their lock runs out.
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
    });
    worker.on('failed', (job, error) =>
      rt.log.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed'),
    );
    worker.on('error', (error) => rt.log.error({ queue, err: error.message }, 'worker error'));
    return { worker, connection };
  });
  return {
    async close() {
      await scheduled;
      // close() waits for running jobs to finish: nothing is cut off mid-send.
      await Promise.all(workers.map((w) => w.worker.close()));
      await Promise.all(workers.map((w) => w.connection.quit().catch(() => undefined)));
    },
  };
}
