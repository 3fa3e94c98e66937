// The outbox relay in many processes: one relays at a time (a lease in
// Redis); the others skip, and take over when a holder that died lets it run
// out. Three relays on one database and one Redis stand in for three processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { addToOutbox } from '../../src/queue/outbox.repo.ts';
import { RelayLease, startOutboxRelay, type OutboxRelay } from '../../src/queue/outbox.ts';
import { Producer } from '../../src/queue/producer.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';
import { deletePrefix, testRedis, uniquePrefix, type TestRedis } from '../helpers/redis.ts';

const ROWS = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A real producer that counts what it is given and how many relays are inside it at once (each batch takes 20 ms longer). */
class WatchedProducer extends Producer {
  static inside = 0;
  static most = 0;
  static relayed = 0;
  override async addBulk(...args: Parameters<Producer['addBulk']>): Promise<void> {
    WatchedProducer.most = Math.max(WatchedProducer.most, ++WatchedProducer.inside);
    WatchedProducer.relayed += args[1].length;
    try {
      await sleep(20);
      await super.addBulk(...args);
    } finally {
      WatchedProducer.inside--;
    }
  }
}

describe('outbox relay: one process at a time', function () {
  this.timeout(60_000);
  const log = pino({ level: 'silent' });
  let dir: string;
  let database: TestDatabase;
  let db: Db;
  let redis: TestRedis;
  let client: Redis;
  let prefix: string;
  let producer: Producer;
  let relays: OutboxRelay[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-relay-'));
    database = await testDatabase(dir);
    db = openDatabase(database.url);
    await migrateToLatest(db);
    redis = await testRedis();
    client = new Redis(redis.url);
    prefix = uniquePrefix('relay');
    producer = new WatchedProducer(client, prefix, log);
    Object.assign(WatchedProducer, { inside: 0, most: 0, relayed: 0 });
    for (let i = 0; i < ROWS; i++) await addToOutbox(db, { topic: 'company.registered', payload: { companyId: `c${i}`, round: 1 } });
  });
  afterEach(async () => {
    for (const relay of relays) await relay.stop();
    relays = [];
    await producer.close();
    await deletePrefix(redis.url, prefix);
    client.disconnect();
    await db.destroy();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const pending = async () => (await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('relayed_at', 'is', null).executeTakeFirstOrThrow()).n;
  const start = (n: number) => {
    // Batches of 50 rows: many batches, so relays would overlap without the lease.
    relays = Array.from({ length: n }, () => startOutboxRelay(db, producer, log, new RelayLease(client, `${prefix}:outbox-relay`), 100, 50));
  };

  it('three relays nudged at once: one relays at a time, each row once, every job queued', async () => {
    start(3);
    for (let k = 0; k < 5; k++) {
      for (const relay of relays) relay.nudge();
      await sleep(50);
    }
    while ((await pending()) > 0) await sleep(50);
    expect(WatchedProducer.most).to.equal(1);
    expect(WatchedProducer.relayed).to.equal(ROWS);
    expect(await producer.queue('account').count()).to.equal(ROWS);
  });

  it('a holder that died: the others relay once its lease has run out', async () => {
    await client.set(`${prefix}:outbox-relay`, 'a process that died', 'PX', 800);
    start(2);
    for (const relay of relays) relay.nudge();
    await sleep(400);
    expect(await pending()).to.equal(ROWS);
    while ((await pending()) > 0) await sleep(50);
    expect(WatchedProducer.relayed).to.equal(ROWS);
  });
});
