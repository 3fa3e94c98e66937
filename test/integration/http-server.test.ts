// The web server itself, below Express: a request line or headers over Node's
// 16 KB limit get a 431 in the usual JSON error shape (logged at warn, no
// stack), and closing never waits forever on keep-alive or slow clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import { HttpServer } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { Runtime } from '../../src/runtime.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

type LogLine = { level: number; msg: string; [key: string]: unknown };

describe('the HTTP server', function () {
  this.timeout(30_000);
  let rt: Runtime;
  let dir: string;
  let database: TestDatabase | undefined;
  let redisUrl: string;
  let prefix: string;
  const lines: LogLine[] = [];

  before(async () => {
    redisUrl = (await testRedis()).url;
    prefix = uniquePrefix();
    dir = mkdtempSync(join(tmpdir(), 'brygga-test-'));
    database = await testDatabase(dir);
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', DATABASE_URL: database.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix,
      MAIL_OUTBOX_DIR: join(dir, 'outbox'), SEED_DEMO: 'false', SECRET_KEY: 'test-secret-test-secret-test-secret-0123', WORKERS: 'off',
      SHUTDOWN_TIMEOUT_MS: '1500',
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    rt = await Runtime.start(config, pino({ level: 'info' }, sink));
  });
  after(async () => {
    await rt?.stop();
    await deletePrefix(redisUrl, prefix);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends raw bytes on a new connection; resolves with everything the server sent until it closed (or `until` matched). */
  function exchange(port: number, bytes: string, until?: RegExp): Promise<{ text: string; socket: Socket }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => {
        text += d;
        if (until?.test(text)) resolve({ text, socket });
      });
      socket.on('end', () => resolve({ text, socket }));
      socket.on('error', reject);
      socket.write(bytes);
    });
  }

  it('answers an over-long URL or header with a 431 in the JSON error shape, logged at warn without a stack', async () => {
    const server = await HttpServer.listen(rt, 0, '127.0.0.1');
    try {
      for (const request of [
        `GET /api/search?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ${'b'.repeat(20_000)}\r\n\r\n`,
      ]) {
        lines.length = 0;
        const { text } = await exchange(server.port, request);
        const [head, body] = text.split('\r\n\r\n');
        expect(head).to.match(/^HTTP\/1\.1 431 /);
        expect(head).to.match(/content-type: application\/json/i);
        const json = JSON.parse(body);
        expect(json).to.have.keys('error');
        expect(json.error).to.have.keys('code', 'message', 'details');
        expect(json.error.code).to.equal('headers_too_large');
        const warned = lines.filter((l) => l.msg === 'client error');
        expect(warned).to.have.length(1);
        expect(warned[0]).to.include({ level: 40, status: 431, code: 'headers_too_large' });
        expect(warned[0]).not.to.have.any.keys('err', 'stack');
        expect(JSON.stringify(lines)).not.to.include('aaaaaaaa').and.not.to.include('bbbbbbbb');
        expect(lines.filter((l) => l.level >= 50)).to.deep.equal([]);
      }
      // Garbage is a 400 in the same shape.
      const { text } = await exchange(server.port, 'NOT HTTP AT ALL\r\n\r\n');
      expect(text).to.match(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(text.split('\r\n\r\n')[1]).error.code).to.equal('bad_request');
    } finally {
      await server.close();
    }
  });

  it('closes at once when only idle keep-alive connections are open', async () => {
    const server = await HttpServer.listen(rt, 0, '127.0.0.1');
    const { text, socket } = await exchange(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n', /\r\n\r\n\{.*\}$/);
    expect(text).to.match(/^HTTP\/1\.1 200 /);
    const ended = new Promise((resolve) => socket.on('close', resolve));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).to.be.below(500);
    await ended; // the server closed the idle connection
  });

  it('cuts off a request still in progress at SHUTDOWN_TIMEOUT_MS, not later', async () => {
    const server = await HttpServer.listen(rt, 0, '127.0.0.1');
    // Headers promise a body that never comes: the JSON parser waits for it.
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.on('error', () => undefined);
    socket.write('POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"q":');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    expect(took).to.be.within(1300, 3000); // SHUTDOWN_TIMEOUT_MS is 1500
    await ended;
  });
});
