// npm run eval:matching -- --history <winners.csv[.gz]> --procurements <procurements.csv[.gz]> --actual <winners.csv[.gz]> [--min-score N] [--json]
//   or  -- --winners <winners.csv[.gz]> --split <day> [--from <day>] [--to <day>] --procurements <…> [--min-score N] [--json]
//   (one winners file: history before the split day, actual from it to --to, the quarter from it by default)
// Recall of later wins and alerts per firm, Brygga's suggestions beside three
// baselines (src/matching/evaluation.ts). With --json the figures are the last thing printed, as one object.
import { parseArgs } from 'node:util';
import { evaluateMatching, type EvaluationFiles, type EvaluationReport } from '../../src/matching/evaluation.ts';

const USAGE = 'usage: npm run eval:matching -- (--history <winners.csv[.gz]> --actual <winners.csv[.gz]> | --winners <winners.csv[.gz]> --split <YYYY-MM-DD> [--from <YYYY-MM-DD>] [--to <YYYY-MM-DD>]) --procurements <procurements.csv[.gz]> [--min-score 1-100] [--json]';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function main(): Promise<void> | void {
  let values;
  try {
    ({ values } = parseArgs({ options: {
      history: { type: 'string' }, procurements: { type: 'string' }, actual: { type: 'string' }, json: { type: 'boolean', default: false }, 'min-score': { type: 'string' },
      winners: { type: 'string' }, split: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { history, procurements, actual, json, winners, split, from, to } = values;
  const minScore = values['min-score'] === undefined ? undefined : Number(values['min-score']);
  const files: EvaluationFiles | null = !procurements ? null
    : history && actual && !winners && !split ? { history, procurements, actual }
    : winners && split && !history && !actual && [split, from, to].every((d) => d === undefined || DAY.test(d)) ? { winners, procurements, split, from, to }
    : null;
  if (!files || (minScore !== undefined && !(minScore >= 1 && minScore <= 100))) {
    console.error(USAGE);
    process.exit(2);
  }
  return evaluateMatching(files, minScore).then((report) => {
    if (json) console.log(JSON.stringify(publicFigures(report)));
    else print(report);
  });
}

/** The object the issue names, with the periods and volumes after it. */
function publicFigures(r: EvaluationReport) {
  const base = (b: EvaluationReport['baselines']['exactCodes']) => ({ recall: b.recall, alertsPerFirmMedian: b.alertsPerFirmMedian, alertsPerFirmP90: b.alertsPerFirmP90 });
  return {
    firms: r.firms, wins: r.wins, recall: r.recall, alertsPerFirmMedian: r.alertsPerFirmMedian, alertsPerFirmP90: r.alertsPerFirmP90,
    baselines: { exactCodes: base(r.baselines.exactCodes), currentRules: base(r.baselines.currentRules), divisions: base(r.baselines.divisions) },
    periods: r.periods, candidates: r.candidates, minScore: r.minScore,
  };
}

function print(r: EvaluationReport): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`history ${r.periods.history.from} – ${r.periods.history.to}, actual ${r.periods.actual.from} – ${r.periods.actual.to}`);
  console.log(`${r.candidates} procurements in the actual period; ${r.firms} suppliers in both files with ${r.wins} wins`);
  console.log('strategy          recall    alerts/firm median   p90');
  const row = (name: string, f: { recall: number; alertsPerFirmMedian: number; alertsPerFirmP90: number }) =>
    console.log(`${name.padEnd(16)}  ${pct(f.recall).padStart(7)}   ${String(f.alertsPerFirmMedian).padStart(18)}   ${String(f.alertsPerFirmP90).padStart(4)}`);
  row(`brygga (≥ ${r.minScore})`, r);
  row('exactCodes', r.baselines.exactCodes);
  row('currentRules', r.baselines.currentRules);
  row('divisions', r.baselines.divisions);
}

await main();
