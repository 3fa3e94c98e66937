// What the benchmarks over HTTP (bench:http, bench:web) share: synthetic
// notices and firms, the service's configuration on a temp database, and
// storing N notices quickly (through the notices service in large
// transactions, their queued work marked done, then one index rebuild).
import { join } from 'node:path';
import { inTransaction } from '../../db/database.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { storeNotice } from '../../src/notices/notices.service.ts';
import { markDone } from '../../src/ops/reconcile.repo.ts';
import { markRelayed, pendingMessages } from '../../src/queue/outbox.repo.ts';
import type { Runtime } from '../../src/runtime.ts';
import { mulberry32 } from './random.ts';

export const CODES: [string, string][] = [
  ['90911200', 'Städning av skolor'], ['90620000', 'Snöröjning av gator'], ['55524000', 'Skolmåltider till förskolor'],
  ['45214200', 'Ombyggnad av skola'], ['77313000', 'Skötsel av parker'], ['72600000', 'Konsulttjänster för IT-stöd'],
  ['60130000', 'Skolskjuts och särskild kollektivtrafik'], ['15500000', 'Mejeriprodukter till kök'], ['39130000', 'Kontorsmöbler'],
  ['45233222', 'Beläggningsarbeten på vägar'], ['79710000', 'Bevakning och säkerhetstjänster'], ['80580000', 'Kurser i svenska'],
];
export const WORDS = ['städning', 'skolor', 'snöröjning', 'parker', 'möbler', 'konsult', 'skolskjuts', 'mejeri', 'beläggning', 'bevakning', 'kurser', 'lerum', 'ramavtal', 'förskolor'];
export const TOWNS = ['Lerum', 'Partille', 'Alingsås', 'Göteborg', 'Härryda'];
export const DAY = 86_400_000;

/** A seeded source of synthetic data: the same seed, the same notices. */
export function benchData(seed: number) {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  /** A notice in the API's input shape. */
  function noticeBody(i: number, now: number, reference = `BENCH ${i}`) {
    const [main, label] = pick(CODES);
    return {
      reference, title: `${label} i ${pick(TOWNS)} ${i}`, description: `${label}. ${Array.from({ length: 12 }, () => pick(WORDS)).join(' ')}.`,
      buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main },
      // Half still open, half closed: search and pages see both.
      deadline: new Date(now + (random() < 0.5 ? 1 : -1) * (5 + random() * 60) * DAY).toISOString(),
      estimatedValue: random() < 0.7 ? { amount: Math.round(10 ** (5 + random() * 3)), currency: 'SEK' } : null,
    };
  }
  return { random, pick, noticeBody };
}

/** A valid organisationsnummer (Luhn check digit), unique per n. */
export function orgNumber(n: number): string {
  const base = `55${String(6_000_000 + n).padStart(7, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

const UNLIMITED = '999999/1s'; // the most the setting takes: no limit in practice

/** The service on a temp database in `dir`, e-mail as files, rate limits raised (every request comes from one client). */
export function benchConfig(dir: string, redisUrl: string, prefix: string): Config {
  return loadConfig({
    NODE_ENV: 'development', PORT: '0', DATABASE_URL: `file:${join(dir, 'brygga.db')}`, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix,
    MAIL_TRANSPORT: 'file', MAIL_OUTBOX_DIR: join(dir, 'outbox'), SEED_DEMO: 'false', SECRET_KEY: 'bench-secret-bench-secret-bench-secret-01',
    RATE_LIMIT_SIGNIN_PER_ADDRESS: UNLIMITED, RATE_LIMIT_SIGNIN_PER_CLIENT: UNLIMITED, RATE_LIMIT_REGISTER_PER_ADDRESS: UNLIMITED,
    RATE_LIMIT_REGISTER_PER_CLIENT: UNLIMITED, RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: UNLIMITED,
  });
}

/**
 * Stores `n` notices straight through the notices service, 2,000 to a
 * transaction; their outbox rows marked relayed and their index and match
 * marks set (reconciliation must not queue 100k jobs), then one index
 * rebuild. Returns their ids in order.
 */
export async function storeNotices(rt: Runtime, n: number, body: (i: number) => unknown, log: (line: string) => void): Promise<string[]> {
  let started = performance.now();
  const ids: string[] = [];
  for (let from = 0; from < n; from += 2000) {
    await inTransaction(rt.db, async (trx) => {
      for (let i = from; i < Math.min(n, from + 2000); i++) {
        const result = await storeNotice(trx, noticeInputSchema.parse({ ...(body(i) as object), source: 'local' }));
        ids.push(result.id);
        await markDone(trx, 'indexed', result.id, 1);
        await markDone(trx, 'matched', result.id, 1);
      }
    });
    for (let rows = await pendingMessages(rt.db, 5000); rows.length; rows = await pendingMessages(rt.db, 5000)) await markRelayed(rt.db, rows.map((r) => r.id));
  }
  log(`stored ${n.toLocaleString('sv-SE')} notices in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await rt.search.reindex(() => undefined);
  log(`search index built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return ids;
}
