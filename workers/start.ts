// Runs one BullMQ worker per queue, in this process.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '../src/queue/jobs.ts';
import { processorFor, type WorkerContext } from './processors.ts';

export type Workers = { close(): Promise<void> };

export function startWorkers(
  ctx: WorkerContext,
  options: { redisUrl: string; prefix: string; concurrency: number },
): Workers {
  const workers = QUEUES.map((queue) => {
    const processor = processorFor(queue, ctx);
    // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for that connection.
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => ctx.log.warn({ queue, err: error.message }, 'redis connection error'));
    const worker = new Worker(queue, processor, {
      connection,
      prefix: options.prefix,
      concurrency: queue === 'notify' ? options.concurrency : Math.max(1, Math.floor(options.concurrency / 2)),
    });
    worker.on('failed', (job, error) =>
      ctx.log.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed'),
    );
    worker.on('error', (error) => ctx.log.error({ queue, err: error.message }, 'worker error'));
    return { worker, connection };
  });
  return {
    async close() {
      // close() waits for running jobs to finish: nothing is cut off mid-send.
      await Promise.all(workers.map((w) => w.worker.close()));
      await Promise.all(workers.map((w) => w.connection.quit().catch(() => undefined)));
    },
  };
}
