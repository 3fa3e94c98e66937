// npm run backup / npm run restore: an online backup of a running Brygga's
// database, restored into a fresh folder, and a Runtime that starts on it
// with every notice, firm, subscription and ledger row.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Db } from '../../db/database.ts';
import { pgAdmin } from '../../scripts/lib/postgres.ts';
import { loadConfig } from '../../src/config.ts';
import { Runtime } from '../../src/runtime.ts';
import { publish, registerFirm, settle, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { onPostgres, POSTGRES_URL, sqliteOnly } from '../helpers/database.ts';

const root = new URL('../..', import.meta.url).pathname;
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;

/** Runs a script as `npm run <name>` does, in `cwd` (no .env of the developer's), with DATABASE_URL set. */
function run(script: string, args: string[], databaseUrl: string, cwd: string) {
  const result = spawnSync(process.execPath, ['--import', tsx, join(root, 'scripts', script), ...args], {
    cwd, env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' }, encoding: 'utf8',
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

const TABLES = ['notices', 'companies', 'subscriptions', 'matches', 'deliveries', 'delivery_items', 'users'] as const;

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** A running Brygga with two firms, three subscriptions and two notices, their e-mails sent; its rows counted. */
async function runningWithData(): Promise<{ c: Ctx; before: Record<string, number>; deliveries: unknown[] }> {
  const c = await startWithSmtp();
  await registerFirm(c, 'a@firma.example');
  await registerFirm(c, 'b@firma.example', [{}, { name: 'Städ', frequency: 'daily' }]);
  await publish(c, 'one');
  await publish(c, 'two');
  await c.smtp.waitFor(4);
  await settle(c);
  const deliveries = await c.t.app.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
  return { c, before: await counts(c.t.app.db), deliveries };
}

/** Restores `file` into `url`; again, a database that holds anything is refused without --force, and replaced with it. */
function restoreTwice(file: string, url: string, cwd: string) {
  const restored = run('restore.ts', [file], url, cwd);
  expect(restored.code, restored.output).to.equal(0);
  const again = run('restore.ts', [file], url, cwd);
  expect(again.code).to.equal(1);
  expect(again.output).to.include('not empty').and.include('--force');
  const forced = run('restore.ts', [file, '--force'], url, cwd);
  expect(forced.code, forced.output).to.equal(0);
}

/** Brygga started on the restored database has every row, the same ledger and the search index, and is ready. */
async function expectRestored(url: string, dir: string, before: Record<string, number>, deliveries: unknown[]) {
  const redis = await testRedis();
  const prefix = uniquePrefix('restored');
  const config = loadConfig({
    NODE_ENV: 'test', DATABASE_URL: url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, SEED_DEMO: 'false',
    SECRET_KEY: 'test-secret-test-secret-test-secret-0123', MAIL_OUTBOX_DIR: join(dir, 'outbox'),
  });
  const rt = await Runtime.start(config, pino({ level: 'silent' }));
  try {
    expect(await counts(rt.db)).to.deep.equal(before);
    expect(await rt.db.selectFrom('deliveries').selectAll().orderBy('id').execute()).to.deep.equal(deliveries);
    expect(await rt.search.fts.count()).to.equal(2);
    expect(await rt.readiness()).to.deep.equal({ database: 'ok', redis: 'ok' });
  } finally {
    await rt.stop();
    await deletePrefix(redis.url, prefix);
  }
}

describe('backup and restore (SQLite only: PostgreSQL is backed up with pg_dump)', function () {
  before(sqliteOnly);
  this.timeout(60_000);
  let c: Ctx;
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'brygga-backup-'));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    await c?.t.stop();
    await c?.smtp.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up a running database and restores it into a fresh folder where Brygga starts with everything', async () => {
    let before: Record<string, number>;
    let deliveries: unknown[];
    ({ c, before, deliveries } = await runningWithData());
    expect(before.deliveries).to.be.at.least(4);
    expect(before.subscriptions).to.equal(3);

    // Online: the service keeps running (and holds the database open) while it is copied.
    const work = fresh();
    const file = join(work, 'backups', 'brygga.backup');
    const backedUp = run('backup.ts', [file], c.t.app.config.databaseUrl, work);
    expect(backedUp.code, backedUp.output).to.equal(0);
    expect(backedUp.output).to.include('Backed up');

    const target = fresh();
    const url = `file:${join(target, 'var', 'brygga.db')}`;
    restoreTwice(file, url, target);
    await expectRestored(url, target, before, deliveries);
  });

  it('refuses what is not a Brygga backup, and a missing file', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'junk.backup'), 'not a database');
    const url = `file:${join(dir, 'brygga.db')}`;
    const junk = run('restore.ts', [join(dir, 'junk.backup')], url, dir);
    expect(junk.code).to.equal(1);
    expect(junk.output).to.include('Restore refused');
    const missing = run('backup.ts', [join(dir, 'x.backup')], `file:${join(dir, 'none.db')}`, dir);
    expect(missing.code).to.equal(1);
    expect(missing.output).to.include('there is no database');
    expect(run('restore.ts', [], url, dir).code).to.equal(2);
  });
});

describe(`backup and restore on PostgreSQL (pg_dump)${onPostgres ? '' : ' (skipped: runs with TEST_DATABASE=postgres, npm run test:pg)'}`, function () {
  before(function () {
    if (!onPostgres) this.skip();
  });
  this.timeout(60_000);
  let c: Ctx | undefined;
  let dir: string | undefined;
  after(async () => {
    await c?.smtp.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up a running database with pg_dump; after the schema is lost, restore brings back everything and Brygga starts on it', async () => {
    let before: Record<string, number>;
    let deliveries: unknown[];
    ({ c, before, deliveries } = await runningWithData());
    const url = c.t.app.config.databaseUrl;
    dir = mkdtempSync(join(tmpdir(), 'brygga-pgbackup-'));
    const file = join(dir, 'backups', 'brygga.dump');
    const backedUp = run('backup.ts', [file], url, dir);
    expect(backedUp.code, backedUp.output).to.equal(0);
    expect(backedUp.output).to.match(/Backed up schema t_\w+ to .*brygga\.dump \(\d+ bytes\)/);

    // Stopping the test app drops its schema: the database is lost.
    await c.t.stop();
    restoreTwice(file, url, dir);
    try {
      await expectRestored(url, dir, before, deliveries);
    } finally {
      const schema = new URL(url).searchParams.get('options')!.split('=')[1];
      await pgAdmin(POSTGRES_URL, `drop schema if exists ${schema} cascade`);
    }
  });

  it('refuses what is not a pg_dump backup', async () => {
    dir ??= mkdtempSync(join(tmpdir(), 'brygga-pgbackup-'));
    writeFileSync(join(dir, 'junk.dump'), 'not a dump');
    const junk = run('restore.ts', [join(dir, 'junk.dump')], POSTGRES_URL, dir);
    expect(junk.code).to.equal(1);
    expect(junk.output).to.include('Restore refused').and.include('not a pg_dump backup');
  });
});
