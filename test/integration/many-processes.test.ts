// Brygga scaled out: two API processes (WORKERS=off) and three worker
// processes on one database and one Redis, as deploy/ runs them. Firms
// register through either API, notices are published through both in turn,
// one worker process is killed with SIGKILL mid-run: every expected e-mail
// arrives exactly once. On PostgreSQL with TEST_DATABASE=postgres.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { NOTICES, Stack, until } from '../../scripts/drills/harness.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

const FIRMS = 200;

describe('many processes: 2 API and 3 worker processes on one database and one Redis', function () {
  this.timeout(600_000);
  let dir: string;
  let database: TestDatabase;
  let stack: Stack | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-many-'));
    database = await testDatabase(dir);
  });
  after(async () => {
    await stack?.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${FIRMS} firms × ${NOTICES} notices, a worker killed with SIGKILL mid-run: every expected e-mail exactly once`, async () => {
    stack = await Stack.start('many', { apis: 2, workers: 3, firms: FIRMS, databaseUrl: database.url });
    const s = stack;
    const publishing = s.publishAll();
    await until(async () => (await s.sentCount()) >= 300, 120_000, 'alerts flowing');
    const killedAt = Date.now();
    await s.kill(s.workerProcs[1]);
    expect(await publishing, 'API writes that failed').to.deep.equal([]);
    const expected = await s.expected();
    // Ten firms to a division, one division to a notice.
    expect(expected).to.have.length(NOTICES * FIRMS / 20);
    const figures = await s.verify(expected, 180_000);
    // Only what SMTP itself cannot tell (in flight at the kill, see Figures) may arrive twice.
    expect(figures, (await s.duplicated(killedAt)).join('\n')).to.include({ duplicates: 0, unexpected: 0, stuck: 0, ready: true, sent: expected.length });
    expect(figures.inFlight).to.be.at.most(5);
    expect(s.workerProcs.filter((p) => p.alive())).to.have.length(2);
  });
});
