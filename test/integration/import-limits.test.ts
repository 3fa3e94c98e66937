// Imports within bounds (issue 12, "Imports lock the database"): a gzip bomb is
// refused while it is being read, through the API and `npm run ingest`; and an
// import in another process never makes an API write wait long or fail.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { onPostgres } from '../helpers/database.ts';
import { ingestSource, ingestSources } from '../../src/ingest/ingest.service.ts';
import { bufferSource } from '../../src/ingest/sources.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';

const root = new URL('../..', import.meta.url).pathname;
const options = { format: 'auto' as const, maxBytes: 200 * 1024 * 1024 };
const HEADER = 'Upphandlings-ID,Upphandlingens titel,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Publiceringsdatum,"Antal upphandlingar, Summa"';
const row = (id: string) => `${id},Städning av skolor,LERUMS KOMMUN,2120001447,90910000 Rengöring,2021-03-01,1`;

/** 100 MB of one repeated CSV row, compressed in memory (never on disk in the repository). */
function gzipBomb(): Buffer {
  const line = Buffer.from(`${row('BOMB-1')}\n`);
  const header = Buffer.from(`${HEADER}\n`);
  const body = Buffer.alloc(header.length + Math.ceil((100 * 1024 * 1024) / line.length) * line.length);
  header.copy(body);
  for (let at = header.length; at < body.length; at += line.length) line.copy(body, at);
  return gzipSync(body);
}

/** A procurements CSV of `rows` distinct notices. */
function bigCsv(rows: number, prefix: string): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(row(`${prefix}-${i}`));
  return `${lines.join('\n')}\n`;
}

async function count(t: TestApp): Promise<number> {
  const r = await t.app.db.selectFrom('notices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function cliEnv(t: TestApp): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DATABASE_URL: t.app.config.databaseUrl,
    SECRET_KEY: 'test-secret-test-secret-test-secret-0123',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
  };
}

describe('import limits', function () {
  this.timeout(180_000);
  let t: TestApp;
  let bomb: Buffer;
  before(() => (bomb = gzipBomb()));
  beforeEach(async () => (t = await startTestApp({ WORKERS: 'off' })));
  afterEach(async () => t?.stop());

  describe('gzip bombs', () => {
    it('are refused by ratio while streaming, early, storing nothing', async () => {
      expect(bomb.length).to.be.below(1024 * 1024); // 100 MB in well under 1 MB
      const started = performance.now();
      const result = await ingestSource(t.app.db, bufferSource('bomb.csv.gz', bomb), options);
      const ms = performance.now() - started;
      expect(result.error).to.match(/^gzip ratio over 200:1 .*INGEST_MAX_RATIO/);
      expect(result.new).to.equal(0);
      expect(await count(t)).to.equal(0);
      expect(ms, `refused after ${ms.toFixed(0)} ms`).to.be.below(2000);
    });

    it('are refused by decompressed size (INGEST_MAX_DECOMPRESSED), whatever the ratio', async () => {
      const result = await ingestSource(t.app.db, bufferSource('bomb.csv.gz', bomb), {
        ...options,
        gzip: { maxDecompressed: 5 * 1024 * 1024, maxRatio: 100_000 },
      });
      expect(result.error).to.equal('gzip decompresses to more than 5 MB, the limit (INGEST_MAX_DECOMPRESSED)');
      expect(await count(t)).to.equal(0);
    });

    it('leave an ordinary gzip alone', async () => {
      const csv = bigCsv(3000, 'OK');
      const result = await ingestSource(t.app.db, bufferSource('ok.csv.gz', gzipSync(csv)), options);
      expect(result).to.include({ error: null, new: 3000 });
    });

    it('are a 422 naming the limit on POST /api/import', async () => {
      const started = performance.now();
      const response = await fetch(`${t.app.url}/api/import?name=bomb.csv.gz`, {
        method: 'POST',
        headers: { 'content-type': 'application/gzip', authorization: `Bearer ${t.app.adminToken}` },
        body: new Uint8Array(bomb), // a copy: the DOM typings (preact's JSX) take no Buffer
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).to.equal(422);
      expect(body.error.code).to.equal('import_rejected');
      expect(body.error.message).to.match(/^gzip ratio over 200:1 .*INGEST_MAX_RATIO/);
      expect(performance.now() - started).to.be.below(3000);
      expect(await count(t)).to.equal(0);
    });

    it('are refused by npm run ingest, with the limit from the environment', () => {
      const file = join(t.dir, 'bomb.csv.gz');
      writeFileSync(file, bomb);
      const run = (env: Record<string, string> = {}) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', file], { cwd: root, env: { ...cliEnv(t), ...env }, encoding: 'utf8' });
      const byRatio = run();
      expect(byRatio.status, byRatio.stderr).to.equal(1);
      expect(byRatio.stdout).to.match(/rejected {2}.*bomb\.csv\.gz: gzip ratio over 200:1 .*INGEST_MAX_RATIO/);
      const bySize = run({ INGEST_MAX_RATIO: '10000', INGEST_MAX_DECOMPRESSED: '2mb' });
      expect(bySize.status, bySize.stderr).to.equal(1);
      expect(bySize.stdout).to.include('gzip decompresses to more than 2 MB, the limit (INGEST_MAX_DECOMPRESSED)');
    });
  });

  describe('short transactions', () => {
    it('a big file bad at its end stores nothing, though it is stored in many slices', async () => {
      const good = bigCsv(4000, 'S');
      const bad = `${good}S-x,"Trasig,LERUMS KOMMUN,2120001447,90910000,2021-03-01,1\n`;
      const slices = { sliceMs: 20, pauseMs: 1 };
      const refused = await ingestSource(t.app.db, bufferSource('bad.csv', Buffer.from(bad)), { ...options, ...slices });
      expect(refused.error).to.match(/^malformed CSV/);
      expect(refused.new).to.equal(0);
      expect(await count(t)).to.equal(0);
      const run = await ingestSources(t.app.db, [bufferSource('a.csv', Buffer.from(good)), bufferSource('b.csv', Buffer.from(bigCsv(10, 'T')))], {
        ...options,
        ...slices,
      });
      expect(run.files.map((f) => [f.error, f.new])).to.deep.equal([[null, 4000], [null, 10]]);
      expect(await count(t)).to.equal(4010);
    });

    it('API writes succeed within 1.5 s while npm run ingest runs in another process', async () => {
      // Long enough to write beside for a while: PostgreSQL stores a row in several round trips, so fewer rows there.
      const rows = onPostgres ? 6_000 : 120_000;
      const file = join(t.dir, 'big.csv');
      writeFileSync(file, bigCsv(rows, 'BIG'));
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', file, '--json'], { cwd: root, env: cliEnv(t) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      let running = true;
      void exited.then(() => (running = false));

      // Wait until the import's first notices are visible (or 3 s: started, not yet committed), then write until it ends.
      const started = Date.now();
      while (running && (await count(t)) === 0 && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
      const waits: number[] = [];
      const failures: string[] = [];
      let during = 0;
      for (let i = 0; running; i++) {
        const t0 = performance.now();
        const res = await api(t.app, 'POST', '/api/notices', {
          reference: `KS 2026/${i}`, title: `Städning ${i}`, buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' },
        });
        waits.push(performance.now() - t0);
        if (running) during++;
        if (res.status !== 201 && res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const code = await exited;
      const worst = Math.max(...waits);
      console.log(`      ${waits.length} API writes during the import (${during} while it ran), worst ${worst.toFixed(0)} ms`);
      expect(failures).to.deep.equal([]);
      expect(worst).to.be.below(1500);
      expect(during).to.be.above(10);
      expect(code, stderr).to.equal(0);
      expect(JSON.parse(stdout).totals).to.include({ new: rows, rejected: 0 });
      expect(await count(t)).to.equal(rows + waits.length);
    });
  });
});
