// After an import that changes what notices are found by (the categories'
// names, the places of postcodes), the search index is rebuilt at once:
// notices indexed before would otherwise keep the old words until
// `npm run reindex`. Safe while Brygga runs.
import type { Db } from '../../db/database.ts';
import type { Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createSearch } from '../../src/search/search.service.ts';

/** Rebuilds the configured search indexes; says what it did, or what to run when it could not. */
export async function rebuildSearch(config: Config, db: Db): Promise<void> {
  const search = createSearch(config, db, createLogger('warn'));
  try {
    const counts = await search.reindex();
    console.log(`rebuilt the search index: ${Object.entries(counts).map(([backend, n]) => `${backend} ${n} notices`).join(', ')}`);
  } catch (error) {
    console.error(`could not rebuild the search index (${(error as Error).message}): run npm run reindex`);
    process.exitCode = 1;
  } finally {
    await search.close();
  }
}
