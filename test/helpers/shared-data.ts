/**
 * Reference data shared between checkouts lives outside the repository, in
 * `<repo>/../shared/data`. Locally a test that needs it is skipped (with the
 * reason in its title) when it is absent; in CI (CI=true) absence is an error,
 * so a green CI run never hides a test that did not run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARED_DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Absolute path of a shared data file, or null when it is missing (throws in CI). */
export function sharedDataPath(...parts: string[]): string | null {
  const path = join(SHARED_DATA_DIR, ...parts);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') {
    throw new Error(`Shared test data missing in CI: ${path}`);
  }
  return null;
}

/** Like sharedDataPath, but skips the calling test (or hook) when the data is missing. */
export function requireSharedData(ctx: Mocha.Context, ...parts: string[]): string {
  const path = sharedDataPath(...parts);
  if (path !== null) return path;
  const reason = `shared data missing: ${join(SHARED_DATA_DIR, ...parts)}`;
  // mocha's skip() takes no message; put it where the reporter shows it.
  const runnable = ctx.test as (Mocha.Runnable & { type?: string }) | undefined;
  if (runnable?.type === 'test') runnable.title += ` (skipped: ${reason})`;
  else console.warn(`Skipping: ${reason}`); // in a hook: a title change would not show
  ctx.skip();
}
