// Observability over real HTTP: GET /metrics (Prometheus text) is for staff
// and admins only and shows what happened after a publish; every request is
// logged with its route pattern, status, duration and request id, and never
// with a token, a cookie or an e-mail address.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { loadConfig } from '../../src/config.ts';
import { Runtime } from '../../src/runtime.ts';
import { api, App, eventually, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { onPostgres, testDatabase, type TestDatabase } from '../helpers/database.ts';

const NOTICE = {
  reference: 'KS 2026/501', title: 'Städning av skolor', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' },
  deadline: new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString(),
};

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The samples of a Prometheus text exposition. */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function value(all: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('GET /metrics', function () {
  this.timeout(60_000);
  let t: TestApp;
  let staffToken: string;
  let officerToken: string;
  const scrape = async (token: string | null = staffToken) => {
    const res = await api(t.app, 'GET', '/metrics', undefined, { token });
    return { ...res, samples: typeof res.body === 'string' ? samples(res.body) : [] };
  };

  before(async () => {
    // METRICS_PORT 0: a free port, on 127.0.0.1, unauthenticated.
    t = await startTestApp({ METRICS_PORT: '0' });
    staffToken = (await createApiToken(t.app.db, await addUser(t.app.db, { email: 'staff@brygga.test', roles: ['staff'] }), 'scraper')).token;
    officerToken = (await createApiToken(t.app.db, await addUser(t.app.db, { email: 'officer@brygga.test', roles: ['officer'] }), 'officer')).token;
  });
  after(async () => t?.stop());

  it('refuses anyone who is not staff or an admin', async () => {
    const anonymous = await scrape(null);
    expect(anonymous.status).to.equal(401);
    expect(anonymous.body.error.code).to.equal('unauthorized');
    expect((await scrape(officerToken)).status).to.equal(403);
    expect((await scrape('nosuch.token')).status).to.equal(401);
  });

  it('answers staff and admins in the Prometheus format with every brygga metric, with plausible values after a publish', async () => {
    const firm = await api(t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Städbolaget AB', email: 'info@stadbolaget.example', municipalityCode: '1441', categories: ['90910000'],
    });
    expect(firm.status, JSON.stringify(firm.body)).to.equal(201);
    const published = await api(t.app, 'POST', '/api/notices', NOTICE);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    // The index and match jobs have run, the confirmation e-mail is in the ledger, nothing waits in the outbox.
    const { samples: m, headers } = await eventually(async () => {
      const res = await scrape();
      const done = (queue: string) => value(res.samples, 'brygga_queue_jobs', { queue, state: 'completed' }) ?? 0;
      return done('index') >= 1 && done('match') >= 1 && (value(res.samples, 'brygga_email_deliveries', { status: 'sent' }) ?? 0) >= 1
        && value(res.samples, 'brygga_outbox_backlog') === 0 ? res : undefined;
    });
    expect(headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);

    const names = new Set(m.map((s) => s.name));
    for (const name of [
      'brygga_http_request_duration_seconds_bucket', 'brygga_http_request_duration_seconds_sum', 'brygga_http_request_duration_seconds_count',
      'brygga_queue_jobs', 'brygga_queue_redis_up', 'brygga_email_deliveries', 'brygga_email_addresses',
      'brygga_outbox_backlog', 'brygga_outbox_oldest_age_seconds', 'brygga_match_index_subscriptions',
      'brygga_search_backend_info', 'brygga_search_fallbacks_total', 'brygga_process_resident_memory_bytes',
    ]) expect(names, name).to.include(name);
    expect(m.filter((s) => !s.name.startsWith('brygga_')).map((s) => s.name), 'names outside brygga_').to.deep.equal([]);

    // Requests by route pattern and status, never by raw URL.
    expect(value(m, 'brygga_http_request_duration_seconds_count', { method: 'POST', route: '/api/notices', status: '201' })).to.equal(1);
    expect(value(m, 'brygga_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '401' })).to.equal(1);
    // An unknown token is refused before any route is chosen.
    expect(value(m, 'brygga_http_request_duration_seconds_count', { method: 'GET', route: '(unmatched)', status: '401' })).to.equal(1);
    expect(value(m, 'brygga_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '403' })).to.equal(1);
    expect(m.filter((s) => s.labels.route?.includes(published.body.notice.id))).to.deep.equal([]);
    const sum = value(m, 'brygga_http_request_duration_seconds_sum', { method: 'POST', route: '/api/notices', status: '201' })!;
    expect(sum).to.be.greaterThan(0).and.lessThan(10);

    for (const q of ['index', 'match', 'backfill', 'notify', 'digest', 'account']) {
      for (const state of ['waiting', 'active', 'delayed', 'completed', 'failed']) expect(value(m, 'brygga_queue_jobs', { queue: q, state }), `${q} ${state}`).to.be.a('number');
    }
    expect(value(m, 'brygga_queue_jobs', { queue: 'match', state: 'failed' })).to.equal(0);
    expect(value(m, 'brygga_queue_redis_up')).to.equal(1);
    expect(value(m, 'brygga_email_deliveries', { status: 'failed' })).to.equal(0);
    expect(value(m, 'brygga_email_addresses', { status: 'suspended' })).to.equal(0);
    expect(value(m, 'brygga_email_addresses', { status: 'unconfirmed' })).to.equal(1);
    expect(value(m, 'brygga_outbox_oldest_age_seconds')).to.equal(0);
    expect(value(m, 'brygga_match_index_subscriptions')).to.equal(1);
    expect(value(m, 'brygga_search_backend_info', { backend: onPostgres ? 'postgres' : 'fts5' })).to.equal(1);
    expect(value(m, 'brygga_search_fallbacks_total')).to.equal(0);

    // An admin may scrape too; a suspended address shows at the next scrape.
    await t.app.db.updateTable('companies').set({ email_status: 'suspended' }).where('id', '=', firm.body.id).execute();
    const admin = await scrape(t.app.adminToken);
    expect(admin.status).to.equal(200);
    expect(value(admin.samples, 'brygga_email_addresses', { status: 'suspended' })).to.equal(1);
    expect(value(admin.samples, 'brygga_email_addresses', { status: 'unconfirmed' })).to.equal(0);
  });

  it('counts job durations by queue and outcome, the match index rebuilt, following changes and applied, and imports by format and outcome', async () => {
    await t.app.engine.refresh(); // built now, so the new subscription below is followed, not rebuilt
    const before = (await scrape()).samples;
    const jobs = (m: Sample[], queue: string, outcome: string) => value(m, 'brygga_job_duration_seconds_count', { queue, outcome }) ?? 0;
    const rebuilds = (m: Sample[]) => value(m, 'brygga_match_index_rebuild_seconds_count') ?? 0;
    const follows = (m: Sample[]) => value(m, 'brygga_match_index_follow_seconds_count') ?? 0;
    const applied = (m: Sample[]) => value(m, 'brygga_match_index_apply_seconds_count') ?? 0;
    const ingested = (m: Sample[], format: string, outcome: string) => value(m, 'brygga_ingest_notices_total', { format, outcome }) ?? 0;
    const files = (m: Sample[], format: string, outcome: string) => value(m, 'brygga_ingest_files_total', { format, outcome }) ?? 0;

    // A new subscription (the index, built for the test above, follows it without a rebuild), then an import (the notice is matched against it).
    const firm = await api(t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Lokalvård Väst AB', email: 'info@lokalvard.example', municipalityCode: '1441', categories: ['90910000'],
    });
    expect(firm.status, JSON.stringify(firm.body)).to.equal(201);
    const xml = readFileSync(new URL('../fixtures/eforms/lerum-cn.xml', import.meta.url));
    const post = (body: Buffer) => fetch(`${t.app.url}/api/import`, {
      method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${t.app.adminToken}` }, body: new Uint8Array(body),
    });
    expect((await post(xml)).status).to.equal(200);
    expect((await post(xml)).status).to.equal(200); // again: unchanged
    expect((await post(xml.subarray(0, 200))).status).to.equal(422); // refused whole
    // A job that fails for good (a payload no handler accepts).
    await t.app.producer.queue('index').add('index', { noticeId: 'not an id!' }, { jobId: 'metrics-bad-job', attempts: 1 });

    const after = await eventually(async () => {
      const m = (await scrape()).samples;
      return jobs(m, 'index', 'failed') > jobs(before, 'index', 'failed') && jobs(m, 'match', 'completed') > jobs(before, 'match', 'completed')
        && applied(m) > applied(before) ? m : undefined;
    });
    expect(value(after, 'brygga_job_duration_seconds_sum', { queue: 'match', outcome: 'completed' })).to.be.greaterThan(0).and.lessThan(60);
    expect(value(after, 'brygga_job_duration_seconds_bucket', { queue: 'index', outcome: 'failed', le: '+Inf' })).to.be.at.least(1);
    expect(follows(after)).to.be.greaterThan(follows(before));
    expect(rebuilds(after)).to.equal(rebuilds(before));
    expect(value(after, 'brygga_match_index_rules')).to.equal(2); // the firm of the test above and this one
    expect(ingested(after, 'eforms', 'new') - ingested(before, 'eforms', 'new')).to.equal(1);
    expect(ingested(after, 'eforms', 'unchanged') - ingested(before, 'eforms', 'unchanged')).to.equal(1);
    expect(files(after, 'eforms', 'stored') - files(before, 'eforms', 'stored')).to.equal(2);
    expect(files(after, 'eforms', 'rejected') + files(after, 'unknown', 'rejected')).to.equal(1);
  });

  it('METRICS_PORT serves the same metrics on 127.0.0.1 without authentication, and nothing else', async () => {
    const port = t.app.rt.metricsPort!;
    expect(port).to.be.a('number').above(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const m = samples(await res.text());
    for (const name of ['brygga_job_duration_seconds_count', 'brygga_queue_jobs', 'brygga_outbox_backlog', 'brygga_http_request_duration_seconds_count', 'brygga_process_resident_memory_bytes']) {
      expect(m.map((s) => s.name), name).to.include(name);
    }
    expect((await fetch(`http://127.0.0.1:${port}/api/search`)).status).to.equal(404);
    // Not on another address of this machine (when it has one to try).
    const { networkInterfaces } = await import('node:os');
    const other = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (other) {
      const refused = await fetch(`http://${other}:${port}/metrics`).then(() => false, () => true);
      expect(refused, `reachable on ${other}`).to.equal(true);
    }
  });
});

describe('request logs', function () {
  this.timeout(60_000);
  const lines: string[] = [];
  let app: App;
  let dir: string;
  let database: TestDatabase | undefined;
  let redisUrl: string;
  let prefix: string;

  before(async () => {
    redisUrl = (await testRedis()).url;
    dir = mkdtempSync(join(tmpdir(), 'brygga-test-'));
    database = await testDatabase(dir);
    prefix = uniquePrefix();
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', DATABASE_URL: database.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix,
      MAIL_OUTBOX_DIR: join(dir, 'outbox'), SEED_DEMO: 'false', SECRET_KEY: 'test-secret-test-secret-test-secret-0123', WORKERS: 'off',
    });
    app = await App.start(await Runtime.start(config, pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })));
  });
  after(async () => {
    await app?.stop();
    await deletePrefix(redisUrl, prefix);
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The request log lines so far, parsed. */
  const requests = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');

  it('one line per request: method, route pattern, status, duration and the request id it answered with', async () => {
    const given = await api(app, 'GET', '/api/staff/audit', undefined, { token: null, headers: { 'x-request-id': 'trace-4711.a_b' } });
    expect(given.status).to.equal(401);
    expect(given.headers.get('x-request-id')).to.equal('trace-4711.a_b');
    const generated = await api(app, 'GET', '/api/notices/01NOSUCHNOTICE00000000000', undefined, { headers: { 'x-request-id': 'not sane\u00e5'.repeat(10) } });
    expect(generated.status).to.equal(404);
    const id = generated.headers.get('x-request-id')!;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect((await api(app, 'GET', '/api/search?q=x')).headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/).and.not.equal(id);

    const [audit, notice] = await eventually(async () => {
      const found = [requests().find((l) => l.requestId === 'trace-4711.a_b'), requests().find((l) => l.requestId === id)];
      return found.every(Boolean) ? found : undefined;
    });
    // The route is known even when its rule refused the request in a mounted router.
    expect(audit).to.deep.include({ level: 30, method: 'GET', route: '/api/staff/audit', status: 401 });
    expect(notice).to.deep.include({ method: 'GET', route: '/api/notices/:id', status: 404 });
    expect(audit.durationMs).to.be.a('number').at.least(0);
    expect(Object.keys(notice)).to.have.members(['level', 'time', 'pid', 'hostname', 'requestId', 'method', 'route', 'status', 'durationMs', 'msg']);
  });

  it('never logs a token, a cookie or an e-mail address, wherever the request carried them', async () => {
    const secrets = ['s3cr3t-signin-link-abc', 's3cr3t-confirm-link-def', 's3cr3t-unsubscribe-ghi', 's3cr3t-cookie-jkl', 's3cr3t-bearer-mno'];
    const address = 'anna.svensson@firma.example';
    const before = lines.length;
    expect((await api(app, 'GET', `/login/${secrets[0]}`, undefined, { token: null })).status).to.be.within(400, 499);
    expect((await api(app, 'GET', `/confirm/${secrets[1]}`, undefined, { token: null })).status).to.equal(404);
    expect((await api(app, 'GET', `/unsubscribe/${secrets[2]}`, undefined, { token: null })).status).to.equal(404);
    expect((await api(app, 'GET', '/api/me', undefined, { token: null, headers: { cookie: `brygga_session=${secrets[3]}` } })).status).to.equal(401);
    expect((await api(app, 'GET', '/api/me', undefined, { token: secrets[4] })).status).to.equal(401);
    expect((await api(app, 'GET', `/api/notices/${encodeURIComponent(address)}`)).status).to.equal(404);
    expect((await api(app, 'GET', `/no/such/${address}?email=${encodeURIComponent(address)}`)).status).to.equal(404);
    expect((await api(app, 'GET', `/api/search?q=${encodeURIComponent(address)}`)).status).to.equal(200);
    const registered = await api(app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Svenssons Städ AB', email: address, municipalityCode: '1441', categories: ['90910000'],
    });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);

    const mine = await eventually(async () => {
      const since = lines.slice(before).map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
      return since.length >= 9 ? since : undefined;
    });
    const routes = mine.map((l: { method: string; route: string; status: number }) => `${l.method} ${l.route} ${l.status}`);
    expect(routes).to.include.members([
      'GET /confirm/:token 404', 'GET /unsubscribe/:token 404', 'GET /api/notices/:id 404', 'GET /api/search 200',
      'POST /api/companies 201', 'GET (unmatched) 404', 'GET /api/me 401', 'GET (unmatched) 401',
    ]);
    expect(routes.find((r: string) => r.startsWith('GET /login/:token '))).to.be.a('string');

    const everything = lines.join('\n');
    for (const secret of [...secrets, app.adminToken]) expect(everything, secret).not.to.include(secret);
    expect(everything).not.to.include(address);
    expect(everything).not.to.include('anna.svensson');
    expect(everything).not.to.match(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('carries the request id into the jobs the request started, the jobs those start, and the workers\' log lines', async () => {
    const firm = await api(app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Spårbar Städ AB', email: 'spar@firma.example', municipalityCode: '1441', categories: ['90910000'],
    });
    expect(firm.status, JSON.stringify(firm.body)).to.equal(201);
    await app.db.updateTable('companies').set({ email_status: 'confirmed' }).where('id', '=', firm.body.id).execute();
    const published = await api(app, 'POST', '/api/notices', { ...NOTICE, reference: 'KS 2026/777' }, { headers: { 'x-request-id': 'trace-publish-42' } });
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    const noticeId = published.body.notice.id as string;
    // The relay made the match job of the outbox row, with the request id beside its payload.
    const match = await eventually(async () => app.producer.queue('match').getJob(`match-${noticeId}-1`));
    expect(match.data).to.deep.equal({ noticeId, revision: 1, origin: { requestId: 'trace-publish-42' } });
    // A request without the header: its own, generated id.
    const other = await api(app, 'POST', '/api/notices', { ...NOTICE, reference: 'KS 2026/778' });
    const otherMatch = await eventually(async () => app.producer.queue('match').getJob(`match-${other.body.notice.id}-1`));
    expect(otherMatch.data.origin).to.deep.equal({ requestId: other.headers.get('x-request-id') });

    app.startWorkers();
    // The match job queues the alert: it carries the same id, and both are logged with it.
    const notify = await eventually(async () => app.producer.queue('notify').getJob(`notify-${firm.body.id}-${noticeId}`));
    expect(notify.data.origin).to.deep.equal({ requestId: 'trace-publish-42' });
    const logged = await eventually(async () => {
      const done = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'job completed' && l.requestId === 'trace-publish-42');
      return ['index', 'match', 'notify'].every((q) => done.some((l) => l.queue === q)) ? done : undefined;
    });
    expect(logged.find((l) => l.queue === 'match')).to.include({ jobId: `match-${noticeId}-1` }).and.have.property('durationMs').that.is.a('number');
    await app.stopWorkers();
  });
});
