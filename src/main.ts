// `npm start`: API, web pages and (by default) the workers in one process.
import { App } from './app.ts';
import { loadConfigOrExit, type Config } from './config.ts';
import { seedDemoIfEmpty } from '../scripts/seed.ts';
import { stopOwnRedis } from './own-redis.ts';
import { onShutdown } from './shutdown.ts';

const config = loadConfigOrExit();

const app = new App(config);
// Brygga first, so its own Redis connections are closed before the Redis that
// bootstrap may have started for it is stopped.
const stop = async () => {
  await app.stop();
  await stopOwnRedis(config.redisUrl, app.log);
};

try {
  await app.start();
} catch (error) {
  const problem = listenProblem(error, config);
  if (problem) console.error(`\n  ${problem}\n`);
  else app.log.fatal({ err: error }, 'start-up failed');
  await stop().catch(() => undefined);
  process.exit(1);
}
onShutdown(app.log, stop);
if (config.seedDemo) await seedDemoIfEmpty(app);
app.log.info({ url: app.url, workers: config.workers, mail: config.mail.transport }, 'Brygga is running');
console.log(`\n  Brygga is running at ${app.url}\n  E-mail goes to ${config.mail.transport === 'file' ? config.mail.outboxDir + '/' : 'SMTP'}\n`);

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
