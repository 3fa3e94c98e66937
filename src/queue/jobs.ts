// Queue names, their typed payloads and deterministic job ids.
// A payload is checked with zod when a worker takes it: a bad job fails loudly, once.
import { z } from 'zod';

export const QUEUES = ['index', 'match', 'notify'] as const;
export type QueueName = (typeof QUEUES)[number];

const ulidLike = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'an id');

export const payloads = {
  index: z.object({ noticeId: ulidLike, revision: z.number().int().positive() }),
  match: z.object({ noticeId: ulidLike, revision: z.number().int().positive() }),
  notify: z.object({ companyId: ulidLike, noticeId: ulidLike }),
} satisfies Record<QueueName, z.ZodType>;

export type JobPayload<Q extends QueueName> = z.output<(typeof payloads)[Q]>;

/** BullMQ job ids: the same work always gets the same id (and never a ':'). */
export const jobId = {
  index: (p: JobPayload<'index'>) => `index-${p.noticeId}-${p.revision}`,
  match: (p: JobPayload<'match'>) => `match-${p.noticeId}-${p.revision}`,
  notify: (p: JobPayload<'notify'>) => `notify-${p.companyId}-${p.noticeId}`,
} satisfies { [Q in QueueName]: (p: JobPayload<Q>) => string };
