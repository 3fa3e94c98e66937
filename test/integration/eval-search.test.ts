// npm run eval:search over the shared data and the judged queries of
// test/relevance/: the Swedish analysis must rank at least as the issue asks
// (nDCG@10 ≥ 0.85) and better than the analysis it replaced, on both measures.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { requireSharedData } from '../helpers/shared-data.ts';

const run = promisify(execFile);

describe('eval:search on the shared data', function () {
  this.timeout(300_000);

  it('prints the measures for FTS5 and the baseline; FTS5 beats the baseline and reaches nDCG@10 0.85', async function () {
    const data = requireSharedData(this, '.');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/eval/search.ts', '--data', data, '--json'], { maxBuffer: 1 << 24 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result).to.have.keys('queries', 'ndcgAt10', 'recallAt100', 'precisionAt10', 'baseline');
    expect(result.queries).to.be.at.least(40);
    expect(result.ndcgAt10).to.be.at.least(0.85);
    expect(result.ndcgAt10).to.be.above(result.baseline.ndcgAt10);
    expect(result.recallAt100).to.be.above(result.baseline.recallAt100);
  });

  it('refuses a judgments file it cannot read, with usage', async () => {
    const error = await run(process.execPath, ['--import', 'tsx', 'scripts/eval/search.ts', '--judgments', '/nonexistent.json']).catch((e) => e);
    expect(error.code).to.equal(2);
    expect(error.stderr).to.include('/nonexistent.json').and.include('usage: npm run eval:search');
  });
});
