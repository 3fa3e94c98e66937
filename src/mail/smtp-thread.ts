// The SMTP conversation, on a thread of its own. A worker's main thread can be
// held up for seconds (a wait for SQLite's write lock, matching a large
// import); a relay's 250 arriving then waited unread, and a worker killed in
// that time left no trace that the e-mail had gone, so it was sent again.
// Here nothing else runs: the answer is read at once and, when the relay
// accepts, the sent mark is set in Redis before the main thread hears of it.
import { parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import { SMTP_TIMEOUTS, type SendAnswer, type SendFailure, type SendRequest, type ThreadSettings } from './mailer.ts';
import { KEPT_SECONDS } from './sent-marks.ts';

const { url, from, redisUrl } = workerData as ThreadSettings;
// Options go with the url in the first argument: a second argument would be taken as
// message defaults, and every message would open a connection of its own.
// Time-outs of seconds, not nodemailer's minutes: a relay that accepts and then says
// nothing fails the send (a transient error, retried) instead of holding a worker, and shutdown.
const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 5, ...SMTP_TIMEOUTS });
const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true }) : null;
// A Redis outage is the queues' outage too; the mark is best effort and the ledger still follows.
redis?.on('error', () => undefined);
const port = parentPort!;

port.on('message', async (message: SendRequest | 'close') => {
  if (message === 'close') {
    transport.close();
    await redis?.quit().catch(() => undefined);
    port.close();
    return;
  }
  const { seq, mail } = message;
  const { acceptedMark, ...rest } = mail;
  try {
    await transport.sendMail({ from, ...rest });
  } catch (error) {
    const e = error as SendFailure;
    port.postMessage({ seq, failure: { message: e.message, code: e.code, responseCode: e.responseCode, response: e.response } } satisfies SendAnswer);
    return;
  }
  if (acceptedMark && redis) await redis.set(acceptedMark, '1', 'EX', KEPT_SECONDS).catch(() => undefined);
  port.postMessage({ seq } satisfies SendAnswer);
});
