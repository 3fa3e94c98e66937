// `npm start`: API, web pages and (by default) the workers in one process.
import { App } from './app.ts';
import { loadConfigOrExit } from './config.ts';
import { seedDemoIfEmpty } from '../scripts/seed.ts';
import { onShutdown } from './shutdown.ts';

const config = loadConfigOrExit();

const app = new App(config);
try {
  await app.start();
} catch (error) {
  app.log.fatal({ err: error }, 'start-up failed');
  await app.stop().catch(() => undefined);
  process.exit(1);
}
onShutdown(app.log, () => app.stop());
if (config.seedDemo) await seedDemoIfEmpty(app);
app.log.info({ url: app.url, workers: config.workers, mail: config.mail.transport }, 'Brygga is running');
console.log(`\n  Brygga is running at ${app.url}\n  E-mail goes to ${config.mail.transport === 'file' ? config.mail.outboxDir + '/' : 'SMTP'}\n`);
