// npm run import:cpv -- <cpv_2008_sv_en.csv, or the folder holding it>
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { loadConfigOrExit } from '../src/config.ts';
import { CpvImportError, importCpvLabels } from '../src/cpv/cpv-labels.ts';
import { rebuildSearch } from './lib/rebuild-search.ts';

const given = process.argv[2];
if (!given) {
  console.error('usage: npm run import:cpv -- <cpv_2008_sv_en.csv, or the folder holding it>');
  process.exit(2);
}
const path = statSync(given, { throwIfNoEntry: false })?.isDirectory() ? join(given, 'cpv_2008_sv_en.csv') : given;
const config = loadConfigOrExit();
const db = openDatabase(config.databaseUrl);
try {
  await migrateToLatest(db);
  console.log(`imported ${await importCpvLabels(db, path)} CPV codes with Swedish and English labels (restart a running Brygga to use them in e-mail and pages)`);
  await rebuildSearch(config, db);
} catch (error) {
  if (!(error instanceof CpvImportError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
