// A worker as the drill kills it: it starts an e-mail, then its main thread is
// held up (as by a wait for SQLite's write lock) and the process is killed
// with SIGKILL before the thread is free again. Run by mail-thread.test.ts.
import { createMailer } from '../../src/mail/mailer.ts';

const [smtpUrl, redisUrl, mark, holdMs] = process.argv.slice(2);
const mailer = createMailer({ transport: 'smtp', smtpUrl, from: 'brygga@test', outboxDir: '', ratePerSecond: 0, suspendAfter: 3 }, redisUrl);
void mailer.send({ to: 'firma@test', subject: 'Ny upphandling', text: 'text', html: '<p>text</p>', messageId: '<held@brygga>', acceptedMark: mark });
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdMs));
process.kill(process.pid, 'SIGKILL');
