// A drill's outcome: one line of figures, pass or fail, or skipped with the reason.
import type { Figures } from './harness.ts';

export type Outcome = { status: 'pass' | 'fail' | 'skip'; figures?: Figures; notes: string[] };

export type Drill = { name: string; what: string; run(): Promise<Outcome> };

/** Pass when the figures are all right and no other check (`problems`) failed. */
export function outcome(figures: Figures, problems: string[], notes: string[] = []): Outcome {
  const failed = [...problems];
  if (!figures.ok) failed.push('not every expected alert delivered exactly once with nothing stuck and /readyz 200');
  return { status: failed.length ? 'fail' : 'pass', figures, notes: [...notes, ...failed.map((p) => `FAILED: ${p}`)] };
}
