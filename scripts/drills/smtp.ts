// Drill 3: the relay answers 421 for a minute, then 550 for one recipient,
// then refuses connections, then is back. Nobody is suspended for the relay's
// fault; the one rejected firm's alerts end failed or held, never pending.
import { NOTICES, sleep, Stack } from './harness.ts';
import { outcome, type Drill } from './drill.ts';

const TEMPFAIL_MS = Number(process.env.DRILL_SMTP_421_MS ?? 60_000);
const PHASE_MS = 10_000;

export const smtpFaults: Drill = {
  name: 'smtp',
  what: `SMTP 421 for ${TEMPFAIL_MS / 1000} s, then 550 for one recipient ${PHASE_MS / 1000} s, then connections refused ${PHASE_MS / 1000} s, then back`,
  async run() {
    // Retries from 0.25 s: the backlog of the minute of 421s goes out within seconds of the relay's return.
    const s = await Stack.start('smtp', { env: { QUEUE_BACKOFF_MS: '250' } });
    try {
      const rejected = s.firms[0];
      // A quarter of the notices before the faults and one during each, so every phase has mail to send.
      const q = NOTICES / 4;
      const failures = await s.publishAll(0, q);
      await s.sink.setMode('tempfail');
      let phase = Date.now();
      failures.push(...(await s.publishAll(q, 2 * q)));
      await sleep(TEMPFAIL_MS - (Date.now() - phase));
      await s.sink.setMode('accept');
      s.sink.rejectRecipient(rejected.email);
      phase = Date.now();
      failures.push(...(await s.publishAll(2 * q, 3 * q)));
      await sleep(PHASE_MS - (Date.now() - phase));
      s.sink.rejectRecipient(null);
      await s.sink.setMode('refuse');
      phase = Date.now();
      failures.push(...(await s.publishAll(3 * q, NOTICES)));
      await sleep(PHASE_MS - (Date.now() - phase));
      await s.sink.setMode('accept');
      const figures = await s.verify(await s.expected(new Set([rejected.id])), 150_000, new Set([rejected.id]));
      const suspended = await s.query<{ id: string }>(`select id from companies where email_status = 'suspended'`);
      const open = await s.count(`select count(*) n from deliveries where company_id = ? and status in ('pending', 'sending')`, rejected.id);
      const problems = [
        ...(failures.length ? [`${failures.length} API writes failed`] : []),
        ...(suspended.some((c) => c.id !== rejected.id) ? [`${suspended.length} firms suspended, not only the rejected one`] : []),
        ...(open ? [`${open} alerts of the rejected firm left pending`] : []),
      ];
      return outcome(figures, problems, [`rejected recipient: ${s.sink.rejected} RCPT answered 550, firm ${suspended.length ? 'suspended' : 'not suspended'}, none of its alerts pending`]);
    } finally {
      await s.stop();
    }
  },
};
