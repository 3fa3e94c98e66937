// `npm run workers`: the queue workers on their own, without the web server.
// Run the API with WORKERS=off beside it.
import { loadConfigOrExit } from '../src/config.ts';
import { Runtime } from '../src/runtime.ts';
import { onShutdown } from '../src/shutdown.ts';
import { startWorkers } from './start.ts';

const rt = await Runtime.start(loadConfigOrExit());
const workers = startWorkers(rt);
onShutdown(rt.log, async () => {
  await workers.close();
  await rt.stop();
});
rt.log.info('workers running');
