// `npm start`: API, web pages and (by default) the workers in one process.
// The one module of src/ that composes the whole process, workers included.
import { startWorkers, type Workers } from '../workers/start.ts';
import { HttpServer } from './app.ts';
import { loadConfigOrExit, type Config } from './config.ts';
import { demoSignIns, seedDemoIfEmpty } from './demo/seed.ts';
import { createLogger } from './logger.ts';
import { stopOwnRedis } from './own-redis.ts';
import { Runtime } from './runtime.ts';
import { onShutdown } from './shutdown.ts';
import { devMailEnabled } from './web/public/dev-mail.routes.tsx';

const config = loadConfigOrExit();
const log = createLogger(config.logLevel);
let rt: Runtime | null = null;
let server: HttpServer | null = null;
let workers: Workers | null = null;

// Stop taking requests, finish running jobs, close the stores; Brygga's own
// Redis connections close before the Redis bootstrap may have started is stopped.
const stop = async () => {
  await server?.close();
  await workers?.close();
  await rt?.stop();
  await stopOwnRedis(config.redisUrl, log);
};

try {
  rt = await Runtime.start(config, log);
  server = await HttpServer.listen(rt); // a port in use stops start-up before any worker runs
  if (config.workers === 'inline') workers = startWorkers(rt);
} catch (error) {
  const problem = listenProblem(error, config);
  if (problem) console.error(`\n  ${problem}\n`);
  else log.fatal({ err: error }, 'start-up failed');
  await stop().catch(() => undefined);
  process.exit(1);
}
onShutdown(log, stop);
if (config.seedDemo) await seedDemoIfEmpty(rt);
log.info({ url: server.url, workers: config.workers, mail: config.mail.transport }, 'Brygga is running');
const mailGoesTo = config.mail.transport === 'file' ? config.mail.outboxDir + '/' : 'SMTP';
const mailbox = devMailEnabled(config) ? `\n  Read it in the browser: ${config.publicUrl}/dev/mail` : '';
console.log(`\n  Brygga is running at ${server.url}\n  E-mail goes to ${mailGoesTo}${mailbox}\n${config.seedDemo ? demoUsage(await demoSignIns(rt.db)) : ''}`);

/** How to sign in as each demo user, and how to get an API token: a few lines. */
function demoUsage(users: { role: string; email: string; of: string | null }[]): string {
  if (users.length === 0) return '';
  const lines = users.map((u) => `    ${u.role.padEnd(8)} ${u.email}${u.of ? ` (${u.of})` : ''}`);
  const example = (users.find((u) => u.role === 'officer') ?? users[0]).email;
  return [
    `  Demo users: sign in at ${config.publicUrl}/login with an address below; the link ${config.mail.transport === 'file' ? `arrives in ${mailGoesTo}` : 'is e-mailed'}`,
    ...lines,
    `  An API token for scripts: npm run users -- token --email ${example} --name my-script`,
    '',
  ].join('\n') + '\n';
}

/** A plain sentence for the usual reasons the web server cannot listen; null for anything else. */
function listenProblem(error: unknown, { host, port }: Config): string | null {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'EADDRINUSE':
      return `Port ${port} is in use: another program (perhaps Brygga, already running) listens on ${host}:${port}.\n` +
        `  Stop it, or set PORT to a free port, e.g. PORT=${port + 1} npm start (or PORT=${port + 1} in .env).`;
    case 'EACCES':
      return `Port ${port} needs privileges this user does not have: set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine: set HOST, e.g. HOST=127.0.0.1.`;
    default:
      return null;
  }
}
