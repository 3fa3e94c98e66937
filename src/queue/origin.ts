// Where a job came from: the id of the HTTP request whose work it carries, so
// one X-Request-Id can be followed from the request log through the outbox to
// every job it started (and the jobs those started). The request id is held in
// an AsyncLocalStorage while a route's handlers run (src/http/secured-router.ts)
// and while a worker runs a job (workers/processors.ts); the outbox stores it
// with its row, and the producer puts it on each job as `data.origin.requestId`
// (beside the payload, which zod checks and which never sees it).
import { AsyncLocalStorage } from 'node:async_hooks';

export type Origin = { requestId: string };

const storage = new AsyncLocalStorage<Origin>();
const SANE = /^[A-Za-z0-9._-]{1,64}$/;

/** Runs `work` with this origin as the current one (none: runs it as it is). */
export function withOrigin<T>(origin: Origin | null, work: () => T): T {
  return origin ? storage.run(origin, work) : work();
}

/** The origin of the work being done now, if it came from a request. */
export function currentOrigin(): Origin | null {
  return storage.getStore() ?? null;
}

/** A job's origin, read from its data; anything not a plain short id is ignored. */
export function originOf(data: unknown): Origin | null {
  const requestId = (data as { origin?: { requestId?: unknown } } | null)?.origin?.requestId;
  return typeof requestId === 'string' && SANE.test(requestId) ? { requestId } : null;
}

const TAG = Symbol('brygga.origin');

/**
 * Marks a payload with the origin its job should carry, none included (the
 * outbox relay does, per row: it may run while another request is answered).
 */
export function tagOrigin<T extends object>(payload: T, requestId: string | null): T {
  Object.defineProperty(payload, TAG, { value: requestId ? { requestId } satisfies Origin : null, enumerable: false });
  return payload;
}

/** The origin a payload was tagged with, else the current one. */
export function originFor(payload: object): Origin | null {
  return TAG in payload ? (payload as { [TAG]: Origin | null })[TAG] : currentOrigin();
}
