// The staff queue page (bull-board at /staff/queues): staff see every Brygga
// queue and a failed job with its reason, and retrying it puts it back to
// waiting; the page keeps scripts to 'self' under its own CSP; other actions
// (cleaning, emptying, retrying completed jobs) are not reachable.
import { expect } from 'chai';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { api, eventually, startTestApp, type TestApp } from '../helpers/app.ts';

describe('the staff queue page', function () {
  this.timeout(60_000);
  let t: TestApp;
  let staff: string;
  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    staff = (await createApiToken(t.app.db, await addUser(t.app.db, { email: 'kö@brygga.test', roles: ['staff'] }), 'queues')).token;
  });
  after(async () => t?.stop());

  it('serves the page to staff with a CSP that still allows scripts only from itself', async () => {
    const res = await fetch(`${t.app.url}/staff/queues`, { headers: { authorization: `Bearer ${staff}` } });
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.include('<base href="/staff/queues/"');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).to.include("script-src 'self'").and.include("frame-ancestors 'none'");
    expect(csp).not.to.match(/script-src[^;]*unsafe/);
    // Its scripts are served (from here), to staff only.
    const script = /src="(static\/js\/main[^"]+\.js)"/.exec(html)![1];
    expect((await fetch(`${t.app.url}/staff/queues/${script}`, { headers: { authorization: `Bearer ${staff}` } })).status).to.equal(200);
    expect((await fetch(`${t.app.url}/staff/queues/${script}`)).status).to.equal(401);
    // Elsewhere the strict policy holds.
    expect((await fetch(`${t.app.url}/healthz`)).headers.get('content-security-policy')).to.include("style-src 'self';");
  });

  it('lists every queue and a failed job with its reason; retrying puts it back to waiting', async () => {
    const queue = t.app.producer.queue('index');
    await queue.add('index', { noticeId: 'not an id!' }, { jobId: 'board-bad-job', attempts: 1 });
    t.app.startWorkers();
    await eventually(async () => (await queue.getJobState('board-bad-job')) === 'failed');
    await t.app.stopWorkers();

    const list = await api(t.app, 'GET', '/staff/queues/api/queues?activeQueue=index&status=failed&page=1&jobsPerPage=10', undefined, { token: staff });
    expect(list.status).to.equal(200);
    expect(list.body.queues.map((q: { name: string }) => q.name)).to.have.members([...QUEUES]);
    const index = list.body.queues.find((q: { name: string }) => q.name === 'index');
    expect(index.counts.failed).to.equal(1);
    const job = index.jobs.find((j: { id: string }) => j.id === 'board-bad-job');
    expect(job.failedReason).to.match(/^Invalid index job board-bad-job/);

    // Officers may not; a completed or unknown job is not retried; cleaning is not offered at all.
    const officer = (await createApiToken(t.app.db, await addUser(t.app.db, { email: 'o@brygga.test', roles: ['officer'] }), 'o')).token;
    expect((await api(t.app, 'PUT', '/staff/queues/api/queues/index/board-bad-job/retry', {}, { token: officer })).status).to.equal(403);
    expect((await api(t.app, 'PUT', '/staff/queues/api/queues/index/retry/completed', {}, { token: staff })).status).to.equal(409);
    expect((await api(t.app, 'PUT', '/staff/queues/api/queues/index/no-such-job/retry', {}, { token: staff })).status).to.equal(409);
    expect((await api(t.app, 'PUT', '/staff/queues/api/queues/index/clean/failed', {}, { token: staff })).status).to.equal(404);

    const retried = await api(t.app, 'PUT', '/staff/queues/api/queues/index/board-bad-job/retry', {}, { token: staff });
    expect(retried.status, JSON.stringify(retried.body)).to.equal(204);
    expect(await queue.getJobState('board-bad-job')).to.equal('waiting');
  });
});
