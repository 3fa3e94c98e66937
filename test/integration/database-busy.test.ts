// Another process holding SQLite's write lock longer than busy_timeout (5 s:
// a backup, a long import slice, a stuck script) makes a person's write wait,
// not fail (issue 12, "SQLITE_BUSY never reaches a user as a 500"); past every
// wait it is a 503 with Retry-After, never a 500.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { expect } from 'chai';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { sqliteOnly } from '../helpers/database.ts';

const root = new URL('../..', import.meta.url).pathname;
const notice = (reference: string) => ({
  reference, title: 'Städning av Lerums simhall', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
  cpv: { main: '90911200' }, deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
});

/** A second process that takes the write lock, says so, and keeps it `ms`. */
async function holdWriteLock(dbFile: string, ms: number): Promise<ChildProcess> {
  const script = `const db = require('better-sqlite3')(${JSON.stringify(dbFile)});
db.exec('begin immediate'); console.log('locked');
setTimeout(() => { db.exec('commit'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  return child;
}

describe('a write while another process holds the database (SQLite only: its one write lock, held by another process)', function () {
  before(sqliteOnly);
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
  });
  after(() => t?.stop());

  it('waits past busy_timeout and succeeds once the lock is freed', async () => {
    const holder = await holdWriteLock(join(t.dir, 'brygga.db'), 6_500);
    const started = Date.now();
    const res = await api(t.app, 'POST', '/api/notices', notice('KS 2026/busy-1'));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(Date.now() - started).to.be.above(5_000); // it really waited behind the other process
    await new Promise((resolve) => holder.once('exit', resolve));
  });

  it('answers 503 with Retry-After, not 500, when the lock outlasts every wait, and stores nothing', async () => {
    const holder = await holdWriteLock(join(t.dir, 'brygga.db'), 40_000);
    try {
      const res = await api(t.app, 'POST', '/api/notices', notice('KS 2026/busy-2'));
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('busy');
      expect(res.headers.get('retry-after')).to.equal('5');
    } finally {
      holder.kill();
    }
    const found = await api(t.app, 'GET', '/api/search?q=simhall');
    expect(found.body.hits.map((h: { reference: string }) => h.reference)).to.not.include('KS 2026/busy-2');
  });
});
