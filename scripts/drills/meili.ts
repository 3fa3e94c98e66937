// Drill 4: Meilisearch down during indexing. Only with a real Meilisearch at
// MEILI_URL (none can be had on every machine, and a stand-in would prove
// little): the service reaches it through a TCP proxy in this process, which
// the drill cuts for 20 s while notices are published. Searches must keep
// answering (FTS5 fallback) and the index must catch up (no job left).
import { createServer, connect, type Socket } from 'node:net';
import { freePort } from '../lib/redis.ts';
import { NOTICES, sleep, Stack } from './harness.ts';
import { outcome, type Drill, type Outcome } from './drill.ts';

const DOWN_MS = 20_000;

async function proxy(target: URL) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let up = true;
  const server = createServer((client) => {
    if (!up) return client.destroy();
    const upstream = connect(Number(target.port || 80), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const meiliDown: Drill = {
  name: 'meili-down',
  what: `Meilisearch unreachable ${DOWN_MS / 1000} s during indexing (only with MEILI_URL)`,
  async run(): Promise<Outcome> {
    const meili = process.env.MEILI_URL;
    if (!meili) return { status: 'skip', notes: ['skipped: MEILI_URL not set'] };
    const p = await proxy(new URL(meili));
    const s = await Stack.start('meili-down', { env: { MEILI_URL: p.url, MEILI_KEY: process.env.MEILI_KEY ?? '' } });
    try {
      const failures = await s.publishAll(0, NOTICES / 2);
      p.cut();
      const down = Date.now();
      failures.push(...(await s.publishAll(NOTICES / 2, NOTICES)));
      const search = await s.call('GET', '/api/search?q=Drillupphandling');
      await sleep(DOWN_MS - (Date.now() - down));
      p.restore();
      const figures = await s.verify(await s.expected());
      const problems = [
        ...(failures.length ? [`${failures.length} API writes failed`] : []),
        ...(search.status === 200 ? [] : [`search answered ${search.status} with Meilisearch down`]),
      ];
      return outcome(figures, problems, [`search with Meilisearch down: ${search.status}`]);
    } finally {
      await s.stop();
      p.cut();
      await p.close();
    }
  },
};
