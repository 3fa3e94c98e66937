// METRICS_PORT: GET /metrics without authentication, on 127.0.0.1 only, in
// whichever process sets it (the web server's process, or `npm run workers`,
// which has no HTTP server of its own). The main port keeps /metrics behind
// the staff role or a bearer token.
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { ProcessMetrics } from './process-metrics.ts';

export type MetricsServer = { port: number; close(): Promise<void> };

export function startMetricsServer(metrics: ProcessMetrics, port: number, log: Logger): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'Only GET /metrics is served here', details: null } }));
      return;
    }
    metrics.scrape().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: Error) => {
        log.error({ err: error }, 'metrics: scrape failed');
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: 'Scrape failed', details: null } }));
      },
    );
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const actual = (server.address() as { port: number }).port;
      log.info({ port: actual }, 'metrics served on 127.0.0.1 (METRICS_PORT)');
      resolve({
        port: actual,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
