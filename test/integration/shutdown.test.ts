// Stopping is bounded: with the SMTP relay accepting connections and never
// answering, a send hangs; SIGTERM still ends the process within
// SHUTDOWN_TIMEOUT_MS (the job goes back to the queue when its lock runs out).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { SMTP_TIMEOUTS } from '../../src/mail/mailer.ts';
import { eventually } from '../helpers/app.ts';
import { deletePrefix, freePort, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { testDatabase } from '../helpers/database.ts';

const root = new URL('../..', import.meta.url).pathname;
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

describe('shutdown', function () {
  this.timeout(60_000);

  it('SIGTERM exits within SHUTDOWN_TIMEOUT_MS while a send hangs on a silent SMTP relay', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket); // accepted, and never a greeting
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const smtpPort = (silent.address() as { port: number }).port;
    const redis = await testRedis();
    const dir = mkdtempSync(join(tmpdir(), 'brygga-shutdown-'));
    const database = await testDatabase(dir);
    const prefix = uniquePrefix('shutdown');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/main.ts')], {
      cwd: dir,
      env: {
        ...process.env, LOG_LEVEL: 'warn', PORT: String(port), DATABASE_URL: database.url, REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix, MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SHUTDOWN_TIMEOUT_MS: '1500',
        SEED_DEMO: 'true', // the demo firms' e-mail goes to the silent relay
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(async () => output.includes('Brygga is running') && sockets.length > 0, 30_000).catch(() => {
        throw new Error(`no SMTP connection; output:\n${output}`);
      });
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      const took = Date.now() - started;
      expect(code, output).to.equal(0);
      // The bound, plus closing the rest; well below the relay's greeting time-out, which never came into it.
      expect(took, output).to.be.below(1500 + 2500);
      expect(took).to.be.below(SMTP_TIMEOUTS.greetingTimeout);
      expect(output).to.include('did not stop within SHUTDOWN_TIMEOUT_MS');
    } finally {
      child.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      silent.close();
      await deletePrefix(redis.url, prefix);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SMTP time-outs are seconds, not minutes', () => {
    for (const ms of Object.values(SMTP_TIMEOUTS)) expect(ms).to.be.at.most(30_000);
  });
});
