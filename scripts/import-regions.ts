// npm run import:regions -- <folder with se_municipalities.csv and se_postal_to_municipality.csv>
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { loadConfigOrExit } from '../src/config.ts';
import { importRegions, RegionsImportError } from '../src/regions/regions.import.ts';
import { rebuildSearch } from './lib/rebuild-search.ts';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: npm run import:regions -- <folder with se_municipalities.csv and se_postal_to_municipality.csv>');
  process.exit(2);
}
const config = loadConfigOrExit();
const db = openDatabase(config.databaseUrl);
try {
  await migrateToLatest(db);
  const counts = await importRegions(db, folder);
  console.log(`imported ${counts.municipalities} municipalities and ${counts.postalCodes} postcodes (restart a running Brygga to use them in matching and pages)`);
  await rebuildSearch(config, db);
} catch (error) {
  if (!(error instanceof RegionsImportError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
