// Drill 7: SIGTERM to the workers during a busy run: running jobs finish or go
// back to the queue, the process exits within SHUTDOWN_TIMEOUT_MS, and after a
// restart nothing is sent twice.
import { Stack, stopProc, until } from './harness.ts';
import { outcome, type Drill } from './drill.ts';

const SHUTDOWN_TIMEOUT_MS = 5000;

export const sigterm: Drill = {
  name: 'sigterm',
  what: `SIGTERM to the workers mid-run (SHUTDOWN_TIMEOUT_MS=${SHUTDOWN_TIMEOUT_MS}), then started again`,
  async run() {
    const s = await Stack.start('sigterm', { env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    try {
      const failures = await s.publishAll();
      await until(async () => (await s.sentCount()) >= 300, 60_000, 'alerts flowing');
      const atSignal = await s.sentCount();
      const { code, ms } = await stopProc(s.workers, 'SIGTERM', SHUTDOWN_TIMEOUT_MS + 10_000);
      const afterExit = await s.sentCount();
      await s.startWorkers();
      const figures = await s.verify(await s.expected());
      const problems = [
        ...(failures.length ? [`${failures.length} API writes failed`] : []),
        // Node's start-up and closing the stores come on top of the jobs' time-out.
        ...(ms <= SHUTDOWN_TIMEOUT_MS + 2000 ? [] : [`the workers took ${ms} ms to exit`]),
        ...(code === 0 ? [] : [`the workers exited with ${code}`]),
      ];
      return outcome(figures, problems, [`SIGTERM with ${atSignal} sent, exited (code ${code}) after ${ms} ms with ${afterExit} sent`]);
    } finally {
      await s.stop();
    }
  },
};
