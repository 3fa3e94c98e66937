// `npm start`'s process: seeds the demo, answers /readyz, writes e-mail to the
// outbox and shuts down cleanly on SIGTERM. A wrong setting stops it at once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { api, eventually, startTestApp } from '../helpers/app.ts';
import { deletePrefix, freePort, startPrivateRedis, testRedis, uniquePrefix } from '../helpers/redis.ts';

const root = new URL('../..', import.meta.url).pathname;

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('npm start', function () {
  this.timeout(60_000);

  it('answers /readyz, seeds the demo into the outbox and exits 0 on SIGTERM', async () => {
    const redis = await testRedis();
    const dir = mkdtempSync(join(tmpdir(), 'brygga-start-'));
    const prefix = uniquePrefix('start');
    const port = await freePort();
    const main = startMain({
      PORT: String(port), DATABASE_URL: `file:${join(dir, 'brygga.db')}`, REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix, MAIL_OUTBOX_DIR: join(dir, 'outbox'),
    });
    try {
      await eventually(async () => main.output().includes('Brygga is running'), 30_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
      const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(home).to.include('Skolskjuts i Alingsås och Lerum');

      const eml = await eventually(async () => {
        if (!existsSync(join(dir, 'outbox'))) return false;
        const files = readdirSync(join(dir, 'outbox'), { withFileTypes: true }).filter((f) => f.name.endsWith('.eml'));
        return files.length >= 5 && files;
      }, 30_000).catch(() => {
        throw new Error(`no e-mails in the outbox; output:\n${main.output()}`);
      });
      const first = readFileSync(join(dir, 'outbox', eml[0].name), 'utf8');
      expect(first).to.match(/^Subject: /m);
      expect(first).to.match(/^To: info@.*\.example$/m);

      main.child.kill('SIGTERM');
      expect(await main.exited).to.equal(0);
    } finally {
      main.child.kill('SIGKILL');
      await deletePrefix(redis.url, prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a wrong setting and names the key', async () => {
    const main = startMain({ PORT: 'eighty', MAIL_TRANSPORT: 'pigeon' });
    expect(await main.exited).to.equal(1);
    expect(main.output()).to.include('PORT').and.include('MAIL_TRANSPORT');
  });
});

describe('/readyz', function () {
  it('answers 503 and names Redis when Redis is gone', async () => {
    const redis = await startPrivateRedis();
    const t = await startTestApp({ REDIS_URL: redis.url, WORKERS: 'off' });
    try {
      expect((await api(t.app, 'GET', '/readyz')).status).to.equal(200);
      await redis.stop();
      const res = await api(t.app, 'GET', '/readyz');
      expect(res.status).to.equal(503);
      expect(res.body.checks.database).to.equal('ok');
      expect(res.body.checks.redis).to.match(/^failed/);
      expect((await api(t.app, 'GET', '/healthz')).status).to.equal(200);
    } finally {
      await t.stop().catch(() => undefined);
    }
  });
});
