#!/usr/bin/env node
// Runs before `npm start` and `npm test`, with nothing but Node itself:
// installs node_modules when missing or stale, then makes sure Redis answers.
//   node scripts/bootstrap.mjs          start a private redis-server under var/ when none answers
//   node scripts/bootstrap.mjs --test   tests start their own Redis: only check one can be had
//   node scripts/bootstrap.mjs --no-redis   dependencies only (the ingest command)
//   node scripts/bootstrap.mjs --test --postgres   `npm run test:pg`: PostgreSQL must answer too
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const needsRedis = !process.argv.includes('--no-redis');
const needsPostgres = process.argv.includes('--postgres');

function fail(message) {
  console.error(`\nbootstrap: ${message}\n`);
  process.exit(1);
}

function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);
  if (!stale) return;
  console.log('bootstrap: installing dependencies (npm ci) …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('npm could not install the dependencies (see above).');
}

/** REDIS_URL from the environment or .env, as the app will read it. */
function redisUrl() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const envFile = join(root, '.env');
  if (existsSync(envFile)) {
    const line = readFileSync(envFile, 'utf8').split('\n').find((l) => /^\s*REDIS_URL\s*=/.test(l));
    const value = line?.split('=').slice(1).join('=').trim().replace(/^["']|["']$/g, '');
    if (value) return value;
  }
  return 'redis://127.0.0.1:6379';
}

/** True when something at host:port answers PING with PONG. */
function redisAnswers(host, port, timeoutMs = 1000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    // +PONG, or -NOAUTH from a password-protected server: either way it is Redis.
    socket.on('data', (data) => finish(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** The run_id of the Redis at host:port: unique to one run of one redis-server. */
function redisRunId(host, port, timeoutMs = 1000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (id) => {
      socket.destroy();
      done(id);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += data;
      const id = /run_id:([0-9a-f]{40})/.exec(reply)?.[1];
      if (id) finish(id);
    });
  });
}

function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

const INSTALL_HINT =
  'Install Redis and run this again:\n' +
  '  Debian/Ubuntu: sudo apt-get install redis-server\n' +
  '  macOS:         brew install redis\n' +
  'or point REDIS_URL at a Redis server you have.';

async function ensureRedis() {
  const url = new URL(redisUrl());
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 6379);
  if (await redisAnswers(host, port)) return;
  if (forTests) {
    if (!hasRedisServer()) fail(`no Redis answers at ${url.href} and redis-server is not installed, so the tests cannot start one.\n${INSTALL_HINT}`);
    return; // the test helpers start a private redis-server on a free port
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) fail(`Redis at ${url.href} does not answer.`);
  if (!hasRedisServer()) fail(`no Redis answers at ${url.href} and redis-server is not installed.\n${INSTALL_HINT}`);
  const dir = join(root, 'var', 'redis');
  mkdirSync(dir, { recursive: true });
  console.log(`bootstrap: starting a private redis-server on port ${port} (data in var/redis) …`);
  const started = spawnSync('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'yes',
    '--pidfile', join(dir, 'redis.pid'), '--logfile', join(dir, 'redis.log'), '--appendonly', 'yes',
  ], { stdio: 'inherit' });
  if (started.status !== 0) fail('redis-server did not start (see var/redis/redis.log).');
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(host, port)) return recordOwnRedis(dir, host, port);
    await new Promise((r) => setTimeout(r, 100));
  }
  fail('redis-server started but does not answer (see var/redis/redis.log).');
}

/** Tells src/main.ts which Redis is its own to stop on exit (src/own-redis.ts). */
async function recordOwnRedis(dir, host, port) {
  const runId = await redisRunId(host, port);
  if (runId) {
    writeFileSync(join(dir, 'started-by-brygga.json'), JSON.stringify({ runId, port, startedAt: new Date().toISOString() }) + '\n');
  } else {
    console.warn(`bootstrap: could not identify the new redis-server; Brygga will not stop it. Stop it with: redis-cli -p ${port} shutdown`);
  }
}

/**
 * The PostgreSQL test run asked for a server (TEST_POSTGRES_URL, else this
 * machine's `test` database, as test/helpers/database.ts uses): without one
 * every test would fail on its own; one line says why instead.
 */
async function ensurePostgres() {
  const url = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const { default: pg } = await import('pg'); // installed by now
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const shown = new URL(url);
    shown.password = ''; // never print a password
    fail(`PostgreSQL does not answer at ${shown.href} (${error.message}): start it, or set TEST_POSTGRES_URL to one that does.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

ensureDependencies();
if (needsRedis) await ensureRedis();
if (needsPostgres) await ensurePostgres();
