// With QUEUE_PREFIX in braces ({…}) every Redis key Brygga writes carries the
// hash tag, so a Redis Cluster puts them in one slot (BullMQ's scripts touch
// several keys at once, which a cluster only allows within a slot). A real
// Redis of its own (so every key in it is Brygga's), the whole application:
// a notice published, indexed and matched through the queues.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { expect } from 'chai';
import { api, eventually, startTestApp, type TestApp } from '../helpers/app.ts';
import { startPrivateRedis, type TestRedis } from '../helpers/redis.ts';

describe('Redis keys with a hash-tagged prefix (Redis Cluster)', function () {
  this.timeout(60_000);
  const tag = `bt${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let server: TestRedis;
  let redis: Redis;

  before(async () => {
    server = await startPrivateRedis();
    redis = new Redis(server.url);
    t = await startTestApp({ QUEUE_PREFIX: `{${tag}}`, REDIS_URL: server.url });
  });
  after(async () => {
    await t?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  it('queues work and every key Brygga writes starts with {prefix}', async () => {
    const published = await api(t.app, 'POST', '/api/notices', {
      sourceId: `HT-${tag}`, kind: 'tender', title: 'Städning av förskolor', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
      cpv: { main: '90911200' }, deadline: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    });
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    // The index job ran through BullMQ under the tagged prefix.
    await eventually(async () => (await api(t.app, 'GET', '/api/search?q=städning')).body.total === 1);
    const keys = await redis.keys('*');
    expect(keys.some((k) => k.includes(':index:')), keys.join(' ')).to.equal(true);
    for (const key of keys) expect(key.startsWith(`{${tag}}:`), key).to.equal(true);
  });
});
