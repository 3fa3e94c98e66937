// `npm run workers`: the queue workers on their own, without the web server.
// Run the API with WORKERS=off beside it.
import { App } from '../src/app.ts';
import { loadConfigOrExit } from '../src/config.ts';
import { onShutdown } from '../src/shutdown.ts';

const config = loadConfigOrExit();

const app = new App({ ...config, workers: 'inline' });
await app.start({ listen: false });
onShutdown(app.log, () => app.stop());
app.log.info('workers running');
