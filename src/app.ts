// The HTTP application: the API and the pages, over a Runtime. It only writes
// to the database (the outbox carries the work to the workers) and never
// sends e-mail itself.
import { createServer, type Server } from 'node:http';
import express from 'express';
import { companiesRouter } from './companies/companies.routes.ts';
import { staffRouter } from './companies/staff.routes.ts';
import { adminRouter, auditRouter, meRouter } from './accounts/accounts.routes.ts';
import { authenticate } from './accounts/authenticate.ts';
import { oidcRouter } from './accounts/oidc.routes.ts';
import { signinRouter } from './accounts/signin.routes.ts';
import { clientErrorHandler, errorHandler, notFoundHandler } from './http/errors.ts';
import { Metrics } from './http/metrics.ts';
import { queueBoardRouter } from './ops/queue-board.routes.ts';
import { rateLimits } from './http/rate-limits.ts';
import { requestLog, trackRoute } from './http/request-log.ts';
import { anyone, SecuredRouter, type RouteInfo } from './http/secured-router.ts';
import { securityHeaders } from './http/security-headers.ts';
import { importRouter } from './ingest/ingest.routes.ts';
import { mailRouter } from './mail/mail.routes.ts';
import { matchingRouter } from './matching/matching.routes.ts';
import { noticesRouter } from './notices/notices.routes.ts';
import type { Runtime } from './runtime.ts';
import { searchRouter } from './search/search.routes.ts';
import { assetsRouter } from './web/assets.routes.ts';
import { errorPage } from './web/error-page.tsx';
import { langRouter } from './web/lang.routes.ts';
import { publicRouter } from './web/public/public.routes.tsx';
import { devMailRouter } from './web/public/dev-mail.routes.tsx';
import { officerRouter } from './web/officer/officer.routes.tsx';
import { awardsRouter } from './notices/awards.routes.ts';
import { staffPagesRouter } from './web/staff/staff.routes.tsx';
import { adminPagesRouter } from './web/admin/admin.routes.tsx';
import { firmPagesRouter } from './web/firm/firm.routes.ts';
import { cpvRouter } from './cpv/cpv.routes.ts';
import { statsRouter } from './stats/stats.routes.ts';

export function httpApp(rt: Runtime): express.Express {
  const { db, config } = rt;
  const changed = () => rt.relay.nudge(); // work waits in the outbox: relay it now
  const limits = rateLimits(rt.redis, config, rt.log); // in Redis: shared by every process
  const metrics = new Metrics({ db, producer: rt.producer, search: rt.search, log: rt.log, process: rt.metrics }); // in the runtime's registry
  const health = new SecuredRouter();
  health.get('/healthz', anyone, (_req, res) => void res.json({ status: 'ok' }));
  health.get('/readyz', anyone, async (_req, res) => {
    const checks = await rt.readiness();
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  const routers = [
    health,
    // The import route reads its own (larger, raw) body before the JSON parser.
    importRouter(db, config.importLimit, changed, { maxDecompressed: config.ingestMaxDecompressed, maxRatio: config.ingestMaxRatio }, (r) => rt.metrics.countIngest(r)),
    signinRouter(db, config, limits.signin, changed),
    matchingRouter(db, rt.engine, config),
    noticesRouter(db, changed),
    companiesRouter(db, changed),
    mailRouter(db, rt.mail.secret, changed),
    staffRouter(db),
    statsRouter(db, { homeMunicipality: config.homeMunicipality, localArea: config.localArea }),
    meRouter(db),
    adminRouter(db),
    auditRouter(db),
    metrics.router(),
    queueBoardRouter(rt.producer),
    oidcRouter(db, config, rt.mail.secret, rt.log),
    searchRouter(rt.search),
    publicRouter(db, rt.search, config),
    devMailRouter(config), // only with MAIL_TRANSPORT=file, never in production
    staffPagesRouter({ db, config, producer: rt.producer, log: rt.log, gzip: { maxDecompressed: config.ingestMaxDecompressed, maxRatio: config.ingestMaxRatio }, onStored: changed, onResult: (r) => rt.metrics.countIngest(r) }),
    officerRouter(db, rt.engine, config, changed),
    awardsRouter(db, changed),
    firmPagesRouter(db, changed, { alertMaxAgeDays: config.alertMaxAgeDays, homeMunicipality: config.homeMunicipality, registrationLimits: limits.registration }),
    cpvRouter(db),
    adminPagesRouter(db),
    langRouter(),
    assetsRouter(),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(trackRoute, requestLog(rt.log), metrics.observe);
  app.use(securityHeaders(config.publicUrl));
  app.use(limits.bearerAttempts(authenticate(db, config.sessions, config.publicUrl)));
  const [, importer, ...rest] = routers;
  app.use(health.base, health.router);
  app.use(importer.base, importer.router);
  app.use(express.json({ limit: config.bodyLimit }));
  // Registration is limited per address and per client (its body read first: the address is in it).
  app.post('/api/companies', ...limits.registration);
  for (const r of rest) app.use(r.base || '/', r.router);
  app.use(notFoundHandler);
  app.use(errorHandler(rt.log, errorPage));
  /** Every route with its rule: the route × role test walks them. */
  app.locals.routes = routers.flatMap((r) => r.routes) satisfies RouteInfo[];
  return app;
}

/** The web server: listening (or failing to) before it answers, closing without cutting requests off. */
export class HttpServer {
  private constructor(
    private readonly server: Server, private readonly host: string, readonly routes: RouteInfo[], private readonly shutdownTimeoutMs: number,
  ) {}

  static listen(rt: Runtime, port = rt.config.port, host = rt.config.host): Promise<HttpServer> {
    // Not Express's app.listen(): Express 5 calls its callback on a listen error
    // too (e.g. EADDRINUSE), which would pass for success.
    const app = httpApp(rt);
    const server = createServer(app);
    server.on('clientError', clientErrorHandler(rt.log)); // e.g. a 431 in the JSON error shape
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(new HttpServer(server, host, app.locals.routes, rt.config.shutdownTimeoutMs));
      });
    });
  }

  /** The port actually listened on (differs from the configured one when that is 0). */
  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /**
   * Stops listening, closes idle keep-alive connections at once (and each as
   * it falls idle), lets requests in progress finish, and cuts off whatever
   * is still open after `timeoutMs` (SHUTDOWN_TIMEOUT_MS).
   */
  async close(timeoutMs = this.shutdownTimeoutMs): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const idle = setInterval(() => this.server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => this.server.closeAllConnections(), timeoutMs);
    try {
      await closed;
    } finally {
      clearInterval(idle);
      clearTimeout(deadline);
    }
  }
}
