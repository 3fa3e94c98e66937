// `npm run workers`: the queue workers on their own, without the web server.
// Run the API with WORKERS=off beside it.
import { App } from '../src/app.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { onShutdown } from '../src/shutdown.ts';

let config;
try {
  loadDotEnv();
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = new App({ ...config, workers: 'inline' });
await app.start({ listen: false });
onShutdown(app.log, () => app.stop());
app.log.info('workers running');
