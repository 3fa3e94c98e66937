// npm run eval:matching on files written here, small enough to work out by hand.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { expect } from 'chai';

const run = promisify(execFile);
const COLUMNS = 'År,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Upphandlings-ID,Upphandlingens titel,Publiceringsdatum';
const WINNERS = `${COLUMNS},Anbudsområdes-ID,Namn för leverantör`;
const PROCUREMENTS = `${COLUMNS},"Antal upphandlingar, Summa"`;
// Titles of their ids alone (two characters: no title words), so the titles move no score here.
const row = (buyer: string, code: string, id: string, day: string) => `2021,${buyer},,${code},${id},${id},${day}`;

describe('eval:matching', function () {
  this.timeout(60_000);
  let dir: string;

  // History (Jan–Mar): Alfa Städ wins cleaning (90911200) from Köpare 1, Beta Bygg building work (45210000) from Köpare 2.
  // Actual (April): Alfa wins P1 (cleaning, Köpare 1) and P5 (goods, 30000000); Beta wins P4 (coded broadly, 45000000);
  // Gamma, without history, wins P2 and is not counted. Two firms in both files, three wins.
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brygga-eval-'));
    fs.writeFileSync(path.join(dir, 'history.csv'), [WINNERS,
      `${row('Köpare 1', '90911200 Städning', 'U1', '2021-01-01')},U1_1,Alfa Städ AB`,
      `${row('Köpare 2', '45210000 Byggnadsarbeten', 'U2', '2021-03-31')},U2_1,Beta Bygg AB`,
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'procurements.csv.gz'), zlib.gzipSync([PROCUREMENTS,
      `${row('Köpare 1', '90911200 Städning', 'U1', '2021-01-01')},1`,
      `${row('Köpare 2', '45210000 Byggnadsarbeten', 'U2', '2021-03-31')},1`,
      `${row('Köpare 1', '90911200 Städning', 'P1', '2021-04-01')},1`,
      `${row('Köpare 3', '90919200 Kontorsstädning', 'P2', '2021-04-10')},1`,
      `${row('Köpare 2', '45210000 Byggnadsarbeten', 'P3', '2021-04-12')},1`,
      `${row('Köpare 3', '45000000 Bygg', 'P4', '2021-04-15')},1`,
      `${row('Köpare 1', '30000000 Kontorsmaskiner', 'P5', '2021-04-30')},1`,
    ].join('\n')));
    fs.writeFileSync(path.join(dir, 'actual.csv'), [WINNERS,
      `${row('Köpare 1', '90911200 Städning', 'P1', '2021-04-01')},P1_1,ALFA STÄD AKTIEBOLAG`,
      `${row('Köpare 1', '30000000 Kontorsmaskiner', 'P5', '2021-04-30')},P5_1,Alfa Städ AB (publ)`,
      `${row('Köpare 3', '45000000 Bygg', 'P4', '2021-04-15')},P4_1,Beta Bygg AB`,
      `${row('Köpare 3', '90919200 Kontorsstädning', 'P2', '2021-04-10')},P2_1,Gamma AB`,
    ].join('\n'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const evaluate = async (...extra: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/eval/matching.ts',
      '--history', path.join(dir, 'history.csv'), '--procurements', path.join(dir, 'procurements.csv.gz'), '--actual', path.join(dir, 'actual.csv'), '--json', ...extra]);
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  };

  it('prints the figures, worked out by hand, as one JSON object last', async () => {
    const r = await evaluate();
    expect(r).to.include({ firms: 2, wins: 3 });
    expect(r.periods).to.deep.equal({ history: { from: '2021-01-01', to: '2021-03-31' }, actual: { from: '2021-04-01', to: '2021-04-30' } });
    // exactCodes: Alfa hears of P1 (hit), Beta of P3 (a miss: it won P4). 1 of 3; one alert each.
    expect(r.baselines.exactCodes).to.deep.equal({ recall: 1 / 3, alertsPerFirmMedian: 1, alertsPerFirmP90: 1 });
    // currentRules: Alfa P1; Beta P3 and P4 (45000000 covers its 45210000: a notice coded broadly). 2 of 3; alerts 1 and 2.
    expect(r.baselines.currentRules).to.deep.equal({ recall: 2 / 3, alertsPerFirmMedian: 1.5, alertsPerFirmP90: 2 });
    // divisions: Alfa P1, P2 (division 90); Beta P3, P4 (division 45). 2 of 3; two alerts each.
    expect(r.baselines.divisions).to.deep.equal({ recall: 2 / 3, alertsPerFirmMedian: 2, alertsPerFirmP90: 2 });
    // Brygga: one win among one procurement of its kind over 90 of 91.3 days: strength 1/√(0.986 · 2) = 0.71,
    // × 4 at a buyer won from. Alfa: P1 (100 points), P2 (shares 9091: 89); Beta: P3 (100), P4 (shares 45: 89). P5 nobody.
    expect(r).to.include({ recall: 2 / 3, alertsPerFirmMedian: 2, alertsPerFirmP90: 2 });
  });

  it('--winners with --split reads history and actual from one file, with the same figures', async () => {
    const lines = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    fs.writeFileSync(path.join(dir, 'winners.csv'), [...lines('history.csv'), ...lines('actual.csv').slice(1)].join('\n'));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/eval/matching.ts',
      '--winners', path.join(dir, 'winners.csv'), '--split', '2021-04-01', '--procurements', path.join(dir, 'procurements.csv.gz'), '--json']);
    const split = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(split).to.deep.equal(await evaluate());
  });

  it('a higher minimum score alerts only what scores that high', async () => {
    // At 95 only the notices of a buyer each firm has won from stand: Alfa P1, Beta P3. 1 of 3.
    const r = await evaluate('--min-score', '95');
    expect(r).to.include({ recall: 1 / 3, alertsPerFirmMedian: 1, alertsPerFirmP90: 1 });
  });
});
