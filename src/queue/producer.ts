// The one place that adds jobs to BullMQ queues.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { jobId, payloads, QUEUES, type JobPayload, type QueueName } from './jobs.ts';
import { originFor } from './origin.ts';

/** Failed jobs retry with exponential backoff and jitter: 2 s, 4 s, 8 s … by default. */
const jobOptions = (backoffMs: number) => ({
  attempts: 10,
  backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

export class Producer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(connection: Redis, prefix: string, log: Logger, backoffMs = 2000) {
    const entries = QUEUES.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: jobOptions(backoffMs) });
      queue.on('error', (error) => log.warn({ queue: name, err: error.message }, 'queue error'));
      return [name, queue];
    });
    this.queues = Object.fromEntries(entries) as Record<QueueName, Queue>;
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  async addBulk<Q extends QueueName>(name: Q, items: JobPayload<Q>[]): Promise<void> {
    if (items.length === 0) return;
    const id = jobId[name] as (p: JobPayload<Q>) => string;
    await this.queues[name].addBulk(
      items.map((item) => {
        const data = payloads[name].parse(item);
        // The request (if any) this work comes from travels beside the payload, not in it.
        const origin = originFor(item as object);
        return { name, data: origin ? { ...data, origin } : data, opts: { jobId: id(data as JobPayload<Q>) } };
      }),
    );
  }

  /**
   * As addBulk, for work the database says is not done: a job of the same id
   * that failed for good (attempts used up, or stalled too often) is retried
   * rather than left standing in the way of the new one.
   */
  async addAgain<Q extends QueueName>(name: Q, items: JobPayload<Q>[]): Promise<void> {
    const id = jobId[name] as (p: JobPayload<Q>) => string;
    for (const item of items) {
      const job = await this.queues[name].getJob(id(payloads[name].parse(item) as JobPayload<Q>));
      // Refused when another process retried it first: it is waiting again either way.
      if (job && (await job.isFailed())) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch(() => undefined);
    }
    await this.addBulk(name, items);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}
