// The staff queue page: bull-board (@bull-board/express) at /staff/queues,
// for staff and admins, over every Brygga queue: counts by state, each job
// with its data, failed jobs with their reason and stack, and retry (one job,
// or every failed job of a queue). Only reading and retrying reach bull-board:
// its other actions (clean, empty, obliterate, pause, promote, add, edit data
// or schedulers) find no route here and answer 404, so the page cannot lose
// work. Writes are PUTs from the page itself; with a session cookie they pass
// the same-origin check every cookie write passes (src/accounts/authenticate.ts).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import { AppError } from '../http/errors.ts';
import { roles, SecuredRouter } from '../http/secured-router.ts';
import { QUEUES } from '../queue/jobs.ts';
import type { Producer } from '../queue/producer.ts';

export const QUEUE_BOARD_PATH = '/staff/queues';

/**
 * bull-board's page cannot live under Brygga's CSP: its HTML has a loading
 * placeholder with inline `style` attributes and a `<style>` block, and its
 * React bundle inserts `<style>` elements at run time. So this route, and only
 * this one, allows inline *styles* ('unsafe-inline' in style-src). Scripts stay
 * 'self' only (the bundle is served from here; its configuration is a JSON data
 * block, which CSP does not treat as script), nothing loads from other sites
 * (its Google Fonts link is refused: the system fonts are used), and framing
 * stays forbidden. base-uri is 'self' because the page sets <base href>.
 */
const BOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "script-src-attr 'none'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
  "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export function queueBoardRouter(producer: Producer): SecuredRouter {
  const adapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: QUEUES.map((name) => new BullMQAdapter(producer.queue(name), { allowRetries: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Brygga: köer' } },
  });
  const board = adapter.getRouter() as RequestHandler;
  const forward: RequestHandler = (req, res, next) => {
    res.setHeader('Content-Security-Policy', BOARD_CSP);
    board(req, res, next);
  };
  // Only failed jobs are retried: a completed one ran already (bull-board would run it again).
  const onlyFailed: RequestHandler<Record<string, string>> = async (req, res, next) => {
    const { queueName, jobId, queueStatus } = req.params;
    const queue = (QUEUES as readonly string[]).includes(queueName) ? producer.queue(queueName as (typeof QUEUES)[number]) : null;
    const failed = queueStatus !== undefined ? queueStatus === 'failed' : (await queue?.getJob(jobId)?.then((job) => job?.getState())) === 'failed';
    if (!queue || !failed) throw new AppError(409, 'not_failed', 'Only failed jobs of a Brygga queue can be retried here');
    forward(req, res, next);
  };
  const staff = roles('staff', 'admin');
  return new SecuredRouter(QUEUE_BOARD_PATH)
    .get('/', staff, forward)
    // The page's other views, its scripts and styles, and its read-only API (queues, jobs, logs).
    .get('/*path', staff, forward)
    // Retry one failed job, or every failed job of a queue.
    .put('/api/queues/:queueName/:jobId/retry', staff, onlyFailed)
    .put('/api/queues/:queueName/retry/:queueStatus', staff, onlyFailed);
}
