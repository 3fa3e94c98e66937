// npm run backup -- <file>
// An online backup of the database at DATABASE_URL into <file> (SQLite's
// backup API, or pg_dump on PostgreSQL): safe while Brygga runs. See docs/operations.md, "Backup and restore".
// Exit code: 0 done, 1 failed, 2 usage or set-up error.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config.ts';
import { backupDatabase, BackupError } from '../src/ops/backup.ts';

const usage = 'usage: npm run backup -- <file>';
let file: string | undefined;
try {
  ({ positionals: [file] } = parseArgs({ allowPositionals: true, options: {} }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (!file) {
  console.error(usage);
  process.exit(2);
}
const config = loadConfigOrExit(2);
try {
  const done = await backupDatabase(config.databaseUrl, file);
  console.log(`Backed up ${done.from} to ${done.to} (${done.size}).`);
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`Backup failed: ${error.message}`);
  process.exit(1);
}
