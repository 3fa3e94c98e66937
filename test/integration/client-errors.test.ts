// Client errors are the client's (issue 12, "client errors answered as 500"):
// a URL, cookie or body that does not decode is a 400 (or 415) in the usual
// error shape, logged as a warning without a stack — never a 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { Runtime } from '../../src/runtime.ts';
import { App, api } from '../helpers/app.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

type LogLine = { level: number; msg: string; err?: unknown; stack?: unknown; [key: string]: unknown };

/** A raw request: fetch refuses some of what a hostile client sends (and always encodes the path). */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | string) {
  return new Promise<{ status: number; json: { error?: { code: string; message: string; details: unknown } } | null }>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const json = (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : null;
        resolve({ status: res.statusCode!, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('client errors over HTTP', function () {
  let app: App;
  let dir: string;
  let database: TestDatabase | undefined;
  let redisUrl: string;
  let prefix: string;
  const lines: LogLine[] = [];

  before(async () => {
    const redis = await testRedis();
    redisUrl = redis.url;
    prefix = uniquePrefix();
    dir = mkdtempSync(join(tmpdir(), 'brygga-test-'));
    database = await testDatabase(dir);
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', DATABASE_URL: database.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix,
      MAIL_OUTBOX_DIR: join(dir, 'outbox'), SEED_DEMO: 'false', SECRET_KEY: 'test-secret-test-secret-test-secret-0123', WORKERS: 'off',
    });
    // The application's log, kept to be read.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    app = await App.start(await Runtime.start(config, pino({ level: 'info' }, sink)));
  });
  after(async () => {
    await app?.stop();
    await deletePrefix(redisUrl, prefix);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => void (lines.length = 0));

  const auth = () => ({ authorization: `Bearer ${app.adminToken}` });
  const notice = JSON.stringify({ reference: 'KS 2027/9', title: 'Snöröjning', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90620000' } });

  function expectClientError(res: Awaited<ReturnType<typeof raw>>, status: number, code: string) {
    expect(res.status, JSON.stringify(res.json)).to.equal(status);
    expect(res.json).to.have.keys('error');
    expect(res.json!.error).to.have.keys('code', 'message', 'details');
    expect(res.json!.error!.code).to.equal(code);
    expect(res.json!.error!.message).to.be.a('string').with.length.greaterThan(0);
  }

  /** Logged once at warn, with no stack and no error object, and nothing at error level. */
  async function expectWarned(code: string) {
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((l) => l.level >= 50), 'nothing logged as an error').to.deep.equal([]);
    const warned = lines.filter((l) => l.level === 40 && l.msg === 'client error');
    expect(warned, JSON.stringify(lines)).to.have.length(1);
    expect(warned[0].code).to.equal(code);
    expect(warned[0]).not.to.have.any.keys('err', 'stack');
    expect(JSON.stringify(warned[0])).not.to.include('    at ');
  }

  for (const path of ['/api/notices/%', '/api/notices/%E0%A4%A', '/api/companies/%/matches', '/api/admin/users/%zz']) {
    it(`a malformed %-escape in a path parameter: GET ${path}`, async () => {
      expectClientError(await raw(app.url, 'GET', path, auth()), 400, 'bad_request');
      await expectWarned('bad_request');
    });
  }

  it('a malformed %-escape in a path parameter of a write', async () => {
    expectClientError(await raw(app.url, 'PATCH', '/api/notices/%', { ...auth(), 'content-type': 'application/json' }, '{}'), 400, 'bad_request');
    await expectWarned('bad_request');
  });

  it('the logged route never holds the rest of the raw path (it may be a token)', async () => {
    await raw(app.url, 'GET', '/confirm/secret-token-%', { accept: 'application/json' });
    const warned = lines.find((l) => l.msg === 'client error');
    expect(JSON.stringify(warned)).not.to.include('secret-token');
  });

  it('a session cookie that does not decode counts as no session, not a 500', async () => {
    const res = await raw(app.url, 'GET', '/api/me', { cookie: 'brygga_session=%E0%A4%A' });
    expectClientError(res, 401, 'unauthorized');
    expect((await raw(app.url, 'GET', '/healthz', { cookie: 'brygga_session=%' })).status).to.equal(200);
    expect(lines.filter((l) => l.level >= 50)).to.deep.equal([]);
  });

  it('a body that is not the gzip its Content-Encoding says', async () => {
    const res = await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all');
    expectClientError(res, 400, 'invalid_encoding');
    await expectWarned('invalid_encoding');
  });

  it('a gzip body cut short, and a bad deflate body', async () => {
    const cut = gzipSync(notice).subarray(0, 20);
    expectClientError(await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json', 'content-encoding': 'gzip' }, cut), 400, 'invalid_encoding');
    expectClientError(await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json', 'content-encoding': 'deflate' }, 'xx'), 400, 'invalid_encoding');
  });

  it('an import whose gzip does not decode', async () => {
    const res = await raw(app.url, 'POST', '/api/import', { ...auth(), 'content-type': 'text/csv', 'content-encoding': 'gzip' }, 'not gzip');
    expectClientError(res, 400, 'invalid_encoding');
  });

  it('a valid gzip body is read', async () => {
    const res = await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(notice));
    expect(res.status, JSON.stringify(res.json)).to.equal(201);
  });

  it('an unknown Content-Encoding or charset: 415', async () => {
    expectClientError(await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json', 'content-encoding': 'zip' }, notice), 415, 'unsupported_encoding');
    await expectWarned('unsupported_encoding');
    expectClientError(await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json; charset=ebcdic' }, notice), 415, 'unsupported_encoding');
  });

  it('a body that is not JSON, and one over the limit', async () => {
    expectClientError(await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json' }, '{"title": '), 400, 'invalid_json');
    await expectWarned('invalid_json');
    const big = JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024) });
    expectClientError(await raw(app.url, 'POST', '/api/notices', { ...auth(), 'content-type': 'application/json' }, big), 413, 'payload_too_large');
  });

  it('a validation error is still a 400 naming the field, and not logged as a client error', async () => {
    const res = await api(app, 'POST', '/api/notices', { title: 'x' });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('validation_failed');
    expect(lines.filter((l) => l.msg === 'client error' || l.level >= 50)).to.deep.equal([]);
  });
});
