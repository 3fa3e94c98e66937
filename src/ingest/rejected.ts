/**
 * A document an ingest parser refuses to turn into a notice: not a transient
 * failure, so callers log the reason and move on instead of retrying.
 */
export class RejectedError extends Error {
  constructor(public reason: string) {
    super(`rejected: ${reason}`);
    this.name = 'RejectedError';
  }
}

export function reject(reason: string): never {
  throw new RejectedError(reason);
}
