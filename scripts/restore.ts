// npm run restore -- <file> [--force]
// Restores a backup made by `npm run backup` into DATABASE_URL. Refuses a
// database that is not empty unless --force. Stop Brygga first.
// Exit code: 0 done, 1 failed or refused, 2 usage or set-up error.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config.ts';
import { BackupError, restoreDatabase } from '../src/ops/backup.ts';

const usage = 'usage: npm run restore -- <file> [--force]';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [file] = parsed.positionals;
if (!file) {
  console.error(usage);
  process.exit(2);
}
const config = loadConfigOrExit(2);
try {
  const done = await restoreDatabase(file, config.databaseUrl, { force: parsed.values.force });
  console.log(`Restored ${done.from} into ${done.to} (${done.size}).`);
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`Restore refused: ${error.message}`);
  process.exit(1);
}
