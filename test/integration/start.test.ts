// `npm start`'s process: seeds the demo, answers /readyz, writes e-mail to the
// outbox and shuts down cleanly on SIGTERM. A wrong setting or a port in use
// stops it at once. The Redis that bootstrap started for it stops with it.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { stopOwnRedis } from '../../src/own-redis.ts';
import { api, eventually, startTestApp } from '../helpers/app.ts';
import { answers, deletePrefix, freePort, startPrivateRedis, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { testDatabase } from '../helpers/database.ts';

const root = new URL('../..', import.meta.url).pathname;
// `--import tsx` would be looked up from the child's working folder.
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

/**
 * Runs src/main.ts as `npm start` does, in `cwd` standing in for the project
 * folder (its var/ and .env), so a developer's own var/ and .env stay out of it.
 */
function startMain(env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/main.ts')], {
    cwd,
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
    const database = await testDatabase(dir);
    const prefix = uniquePrefix('start');
    const port = await freePort();
    const main = startMain({
      PORT: String(port), DATABASE_URL: database.url, REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix, MAIL_OUTBOX_DIR: join(dir, 'outbox'),
    }, dir);
    try {
      await eventually(async () => main.output().includes('Brygga is running'), 30_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.equal({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
      // The demo's notices are searchable once the workers have indexed them.
      await eventually(async () => (await (await fetch(`http://127.0.0.1:${port}/?q=Skolskjuts`)).text()).replace(/<[^>]+>/g, '').includes('Skolskjuts i Alingsås och Lerum'), 30_000);

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
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a wrong setting and names the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brygga-start-'));
    const main = startMain({ PORT: 'eighty', MAIL_TRANSPORT: 'pigeon' }, dir);
    expect(await main.exited).to.equal(1);
    expect(main.output()).to.include('PORT').and.include('MAIL_TRANSPORT');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with exit code 1 and says so when the port is in use, never claiming to run', async () => {
    const redis = await testRedis();
    const dir = mkdtempSync(join(tmpdir(), 'brygga-start-'));
    const database = await testDatabase(dir);
    const prefix = uniquePrefix('port');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const main = startMain({
      PORT: String(port), DATABASE_URL: database.url, REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix, MAIL_OUTBOX_DIR: join(dir, 'outbox'),
    }, dir);
    try {
      expect(await main.exited).to.equal(1);
      expect(main.output()).to.include(`Port ${port} is in use`).and.include('set PORT');
      expect(main.output()).not.to.include('Brygga is running');
    } finally {
      main.child.kill('SIGKILL');
      blocker.close();
      await deletePrefix(redis.url, prefix);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Redis that npm start started', function () {
  this.timeout(60_000);
  const log = pino({ level: 'silent' });

  /** A project folder in which scripts/bootstrap.mjs starts a private Redis, as on a machine without one. */
  async function bootstrapOwnRedis() {
    const dir = mkdtempSync(join(tmpdir(), 'brygga-own-redis-'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(root, 'scripts/bootstrap.mjs'), join(dir, 'scripts/bootstrap.mjs'));
    // The real dependencies, so bootstrap finds them up to date and installs nothing.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    symlinkSync(join(root, 'package-lock.json'), join(dir, 'package-lock.json'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    const database = await testDatabase(dir);
    const run = spawnSync(process.execPath, [join(dir, 'scripts/bootstrap.mjs')], { cwd: dir, env: { ...process.env, REDIS_URL: url }, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).to.equal(0);
    expect(existsSync(join(dir, 'var/redis/started-by-brygga.json'))).to.equal(true);
    const env = {
      PORT: String(await freePort()), REDIS_URL: url, DATABASE_URL: database.url,
      MAIL_OUTBOX_DIR: join(dir, 'outbox'), SEED_DEMO: 'false',
    };
    const cleanUp = async () => {
      if (await answers(url)) await shutdown(url);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    };
    return { dir, url, env, cleanUp };
  }

  it('is stopped when Brygga exits', async () => {
    const own = await bootstrapOwnRedis();
    try {
      const main = startMain(own.env, own.dir);
      await eventually(async () => main.output().includes('Brygga is running'), 30_000);
      main.child.kill('SIGTERM');
      expect(await main.exited, main.output()).to.equal(0);
      expect(await answers(own.url)).to.equal(false);
      expect(existsSync(join(own.dir, 'var/redis/started-by-brygga.json'))).to.equal(false);
    } finally {
      await own.cleanUp();
    }
  });

  it('is stopped when Brygga gives up at start-up (port in use)', async () => {
    const own = await bootstrapOwnRedis();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(own.env.PORT), '127.0.0.1', resolve));
    try {
      const main = startMain(own.env, own.dir);
      expect(await main.exited, main.output()).to.equal(1);
      expect(await answers(own.url)).to.equal(false);
    } finally {
      blocker.close();
      await own.cleanUp();
    }
  });

  it('keeps running while something else still uses it', async () => {
    const own = await bootstrapOwnRedis();
    const other = new Redis(own.url); // e.g. `npm run workers`, or a test run
    try {
      await other.ping();
      const main = startMain(own.env, own.dir);
      await eventually(async () => main.output().includes('Brygga is running'), 30_000);
      main.child.kill('SIGTERM');
      expect(await main.exited, main.output()).to.equal(0);
      expect(await other.ping()).to.equal('PONG');
    } finally {
      other.disconnect();
      await own.cleanUp();
    }
  });

  it('never stops a Redis that Brygga did not start', async () => {
    const redis = await testRedis();
    const dir = mkdtempSync(join(tmpdir(), 'brygga-not-ours-'));
    const file = join(dir, 'started-by-brygga.json');
    try {
      expect(await stopOwnRedis(redis.url, log, file)).to.equal('not-ours'); // no record
      writeFileSync(file, JSON.stringify({ runId: 'f'.repeat(40) })); // a record of an earlier run
      expect(await stopOwnRedis(redis.url, log, file)).to.equal('not-ours');
      expect(await answers(redis.url)).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function shutdown(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  await redis.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  redis.disconnect();
}

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
