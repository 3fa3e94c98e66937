// The queue workers as bench:http runs them by default, the way Brygga is
// deployed (docs/operations.md): `npm run workers` (workers/main.ts) as a
// process of its own beside the API, which runs with WORKERS=off. Same
// database, Redis and queue prefix as the API; its CPU time is read from
// /proc and its timings from its own GET /metrics (METRICS_PORT, 127.0.0.1).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../src/config.ts';

export type WorkerProcess = {
  pid: number;
  /** User + system CPU seconds the process has used so far (Linux /proc; null elsewhere). */
  cpuSeconds(): number | null;
  /** Its metrics, in the Prometheus text format. */
  metrics(): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

const WORKERS_MAIN = fileURLToPath(new URL('../../workers/main.ts', import.meta.url));

/** A free TCP port on 127.0.0.1, for the child's METRICS_PORT. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the workers process on the API's configuration and waits until it answers on its metrics port. */
export async function startWorkerProcess(config: Config, logLevel = process.env.LOG_LEVEL ?? 'warn', extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'development', LOG_LEVEL: logLevel, SEED_DEMO: 'false',
    DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl, QUEUE_PREFIX: config.queuePrefix,
    MAIL_TRANSPORT: config.mail.transport, MAIL_OUTBOX_DIR: config.mail.outboxDir, METRICS_PORT: String(port),
    ...(config.secretKey ? { SECRET_KEY: config.secretKey } : {}),
    ...extraEnv,
  };
  // Its logs go to our stderr (stdout is bench:http's JSON).
  const child = spawn(process.execPath, ['--import', 'tsx', WORKERS_MAIN], { env, stdio: ['ignore', 2, 2] });
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => {
    exited = code ?? -1;
    resolve();
  }));
  const url = `http://127.0.0.1:${port}/metrics`;
  const metrics = async () => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`workers' metrics: ${res.status}`);
    return res.text();
  };
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 200))) {
    if (exited !== null) throw new Error(`the workers process exited (${exited}) before it was ready`);
    if (await metrics().then(() => true, () => false)) break;
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error('the workers process was not ready within 60 s');
    }
  }
  return {
    pid: child.pid!,
    cpuSeconds() {
      try {
        // Fields after the command name: state is the 3rd, utime and stime the 14th and 15th (clock ticks, 100/s on Linux).
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return null;
      }
    },
    metrics,
    async stop(graceMs = 30_000) {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Count and mean per label value of a histogram in the Prometheus text format (e.g. job durations by queue). */
export function histogramBy(text: string, metric: string, label: string): Record<string, { count: number; meanMs: number }> {
  const out: Record<string, { count: number; meanMs: number }> = {};
  const line = new RegExp(`^${metric}_(count|sum)(?:\\{([^}]*)\\})? ([0-9.e+-]+)$`);
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const key = /(?:^|,)\s*([a-z_]+)="([^"]*)"/g;
    let value = '';
    for (let kv = key.exec(m[2] ?? ''); kv; kv = key.exec(m[2] ?? '')) if (kv[1] === label) value = kv[2];
    const entry = (out[value] ??= { count: 0, meanMs: 0 });
    if (m[1] === 'count') entry.count += Number(m[3]);
    else entry.meanMs += Number(m[3]) * 1000;
  }
  for (const e of Object.values(out)) e.meanMs = Math.round(e.meanMs / Math.max(1, e.count));
  return out;
}
