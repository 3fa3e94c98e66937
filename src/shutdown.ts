import type { Logger } from 'pino';

/** On SIGINT/SIGTERM: close cleanly once; a second signal forces the exit. */
export function onShutdown(log: Logger, close: () => Promise<void>): void {
  let closing = false;
  const handle = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
