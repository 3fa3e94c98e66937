// Drill 2: a worker process killed with SIGKILL mid-batch (a supervisor starts
// a new one), and the API killed with SIGKILL mid-import (POST /api/import),
// then the same file imported again, as its user would retry it.
import { DIVISIONS, NOTICES, Stack, stopProc, UNWATCHED, until } from './harness.ts';
import { outcome, type Drill } from './drill.ts';

export const workerKill: Drill = {
  name: 'worker-kill',
  what: 'the workers killed with SIGKILL mid-batch, a new worker process started',
  async run() {
    const s = await Stack.start('worker-kill');
    try {
      const failures = await s.publishAll();
      await until(async () => (await s.sentCount()) >= 300, 60_000, 'alerts flowing');
      const killed = await s.sentCount();
      const killedAt = Date.now();
      const cut = await s.kill(s.workers);
      await s.startWorkers();
      const figures = await s.verify(await s.expected());
      const notes = [`killed with ${killed} of ${figures.expected} alerts sent and ${cut} connections to the relay open`, ...(await s.duplicated(killedAt)).map((d) => `${d} (times from the kill)`)];
      return outcome(figures, failures.length ? [`${failures.length} API writes failed`] : [], notes);
    } finally {
      await s.stop();
    }
  },
};

const FILLER = 3000;

/** An OCDS release package: the drill's 200 notices spread among FILLER notices nobody watches. */
function feed(): string {
  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const release = (ocid: string, title: string, cpv: string) => ({
    ocid, id: `${ocid}-r1`, date: new Date().toISOString(), tag: ['tender'],
    buyer: { name: 'Lerums kommun', id: 'SE-ORG-2120001447' },
    parties: [{ id: 'SE-ORG-2120001447', name: 'Lerums kommun', identifier: { scheme: 'SE-ORG', id: '2120001447' }, roles: ['buyer'] }],
    tender: { id: 't1', title, status: 'active', items: [{ id: '1', classification: { scheme: 'CPV', id: cpv } }], tenderPeriod: { endDate: deadline } },
  });
  const releases = [];
  for (let i = 0; i < FILLER + NOTICES; i++) {
    const drill = i % ((FILLER + NOTICES) / NOTICES) === 0;
    releases.push(drill
      ? release(`ocds-drill-${i}`, `Drillupphandling ${i}`, DIVISIONS[(i / ((FILLER + NOTICES) / NOTICES)) % DIVISIONS.length])
      : release(`ocds-filler-${i}`, `Utfyllnad ${i}`, UNWATCHED));
  }
  return JSON.stringify({ uri: 'https://drill.test/feed', publishedDate: new Date().toISOString(), releases });
}

export const apiKill: Drill = {
  name: 'api-kill',
  what: `the API killed with SIGKILL mid-import (${FILLER + NOTICES} notices, ${NOTICES} alerting), restarted, the file imported again`,
  async run() {
    const s = await Stack.start('api-kill');
    try {
      const body = feed();
      const post = () => fetch(`${s.apiUrl}/api/import`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body });
      const first = post().catch(() => null);
      const count = () => s.count('select count(*) n from notices');
      await until(async () => (await count()) > 0, 30_000, 'the import to start storing');
      await stopProc(s.api, 'SIGKILL');
      const answered = await first;
      const storedAtKill = await count();
      // Nothing half-stored: every stored notice has its main CPV code and an outbox row (its work).
      const half = await s.count(`select count(*) n from notices n where not exists (select 1 from notice_cpv c where c.notice_id = n.id and c.is_main = 1)
        or n.id not in (select json_extract(payload, '$.noticeId') from outbox where topic = 'notice.stored')`);
      const restartMs = await s.startApi();
      const again = await post();
      const figures = await s.verify(await s.expected());
      const stored = await count();
      const problems = [
        ...(answered?.ok ? ['the killed import answered 2xx'] : []),
        ...(half ? [`${half} notices half-stored`] : []),
        ...(again.status === 200 ? [] : [`importing again answered ${again.status}`]),
        ...(stored === FILLER + NOTICES ? [] : [`${stored} notices stored, not ${FILLER + NOTICES}`]),
      ];
      return outcome(figures, problems, [`killed with ${storedAtKill} of ${FILLER + NOTICES} notices committed (each whole), API ready ${(restartMs / 1000).toFixed(1)} s after restart`]);
    } finally {
      await s.stop();
    }
  },
};
