// The relay's 250 is read and remembered even while the worker's main thread
// is held up: a worker killed then leaves the mark that stops a second send.
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { testRedis, uniquePrefix, type TestRedis } from '../helpers/redis.ts';

describe('mail: the SMTP conversation on a thread of its own', () => {
  let smtp: TestSmtp;
  let redis: TestRedis;
  let client: Redis;
  before(async () => {
    smtp = await startSmtp();
    redis = await testRedis();
    client = new Redis(redis.url);
  });
  after(async () => {
    client.disconnect();
    await smtp.close();
    await redis.stop();
  });

  it('a worker whose main thread is held up when the relay accepts, then killed: the e-mail went once and its mark is set', async function () {
    this.timeout(30_000);
    const mark = `${uniquePrefix()}:sent:held`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/send-and-die.ts', smtp.url, redis.url, mark, '8000'], { stdio: 'inherit' });
    const signal = await new Promise((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal).to.equal('SIGKILL');
    expect(smtp.messages.map((m) => m.parsed.messageId)).to.deep.equal(['<held@brygga>']);
    expect(await client.exists(mark)).to.equal(1);
    await client.del(mark);
  });
});
