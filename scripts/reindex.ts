// npm run reindex [-- --json]
// Rebuilds the configured search index from the database: FTS5 always, and
// Meilisearch too when MEILI_URL is set (built beside the live index and
// swapped in, so searches keep working). Safe while Brygga runs.
// Exit code: 0 done, 1 failed (e.g. Meilisearch unreachable), 2 set-up error.
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createSearch } from '../src/search/search.service.ts';

let values;
try {
  ({ values } = parseArgs({ options: { json: { type: 'boolean', default: false } } }));
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run reindex [-- --json]`);
  process.exit(2);
}

let config;
try {
  loadDotEnv();
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const db = openDatabase(config.databaseUrl);
await migrateToLatest(db);
const search = createSearch(config, db, createLogger(values.json ? 'silent' : 'warn'));
const out = values.json ? console.error : console.log;
const progress = process.stderr.isTTY && !values.json;
const started = performance.now();
let code = 0;
try {
  const counts = await search.reindex((backend, done) => {
    if (progress) process.stderr.write(`\r${backend}: ${done.toLocaleString('sv-SE')} notices`);
  });
  if (progress) process.stderr.write('\n');
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  out(Object.entries(counts).map(([backend, n]) => `${backend}: ${n} notices indexed`).join('\n') + `\nin ${seconds} s`);
  if (values.json) console.log(JSON.stringify({ ...counts, seconds }));
} catch (error) {
  if (progress) process.stderr.write('\n');
  console.error(`reindex failed: ${(error as Error).message}`);
  code = 1;
} finally {
  await search.close();
  await db.destroy();
}
process.exit(code);
