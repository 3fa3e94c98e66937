// Drill 1: Redis stopped for 20 s mid-run and started again, once with its
// data kept (SHUTDOWN SAVE) and once as a fresh, empty Redis. The outbox holds
// what the API wrote meanwhile; reconciliation re-queues what the queues lost.
import { NOTICES, sleep, Stack } from './harness.ts';
import { outcome, type Drill } from './drill.ts';

const OUTAGE_MS = 20_000;

function redisDrill(name: string, keepData: boolean): Drill {
  return {
    name,
    what: `Redis stopped ${OUTAGE_MS / 1000} s mid-run, ${keepData ? 'data kept' : 'started empty (data lost)'}`,
    async run() {
      const s = await Stack.start(name);
      try {
        let stoppedAt = 0;
        let readyDuringOutage = 0;
        const failures = await s.publishAll(0, NOTICES, async (i) => {
          if (i !== NOTICES / 2) return;
          await s.redis.stop(keepData);
          stoppedAt = Date.now();
          readyDuringOutage = await s.readyz();
        });
        await sleep(OUTAGE_MS - (Date.now() - stoppedAt));
        await s.redis.start();
        const figures = await s.verify(await s.expected());
        const problems = [
          ...(failures.length ? [`${failures.length} API writes failed during the outage (${[...new Set(failures)].join(', ')})`] : []),
          ...(readyDuringOutage === 503 ? [] : [`/readyz answered ${readyDuringOutage} with Redis down, not 503`]),
          ...(s.api.alive() && s.workers.alive() ? [] : ['a process exited']),
        ];
        return outcome(figures, problems, [`/readyz during the outage ${readyDuringOutage}`]);
      } finally {
        await s.stop();
      }
    },
  };
}

export const redisRestart = redisDrill('redis-restart', true);
export const redisDataLoss = redisDrill('redis-data-loss', false);
