// npm run ingest -- <files or folders…> [--format auto|eforms|ocds|uhm|supplier-register|invoices] [--dry-run] [--json]
// Stores notices from eForms XML, OCDS JSON and UHM statistics CSV. The running
// service (or the next start) indexes, matches and mails them via the outbox.
// Exit code: 0 all stored, 1 something was rejected, 2 usage or set-up error.
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { loadConfigOrExit } from '../src/config.ts';
import { ingestSources, totalsOf } from '../src/ingest/ingest.service.ts';
import { expandPaths, fileSource } from '../src/ingest/sources.ts';
import { INGEST_FORMATS } from '../src/ingest/detect.ts';

const USAGE = 'usage: npm run ingest -- <files or folders…> [--format auto|eforms|ocds|uhm|supplier-register|invoices] [--dry-run] [--json]';
const FORMATS = INGEST_FORMATS;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { format: { type: 'string', default: 'auto' }, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
} catch (error) {
  usage((error as Error).message);
}
const { positionals: paths, values } = args;
const format = values.format as (typeof FORMATS)[number];
if (!FORMATS.includes(format)) usage(`unknown --format ${values.format}`);
if (paths.length === 0) usage('name at least one file or folder');

const config = loadConfigOrExit(2);

const files = await expandPaths(paths).catch((error: Error) => usage(error.message));
const dryRun = values['dry-run'];
let db: Db | null = null;
if (!dryRun) {
  db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
}

const progress = process.stderr.isTTY && files.length > 10 && !values.json;
const sources = (async function* () {
  for (const file of files) yield fileSource(file);
})();
const { files: results } = await ingestSources(db!, sources, {
  format,
  dryRun,
  maxBytes: config.ingestMaxBytes,
  gzip: { maxDecompressed: config.ingestMaxDecompressed, maxRatio: config.ingestMaxRatio },
  onNotice: dryRun && values.json ? (notice) => process.stdout.write(`${JSON.stringify(notice)}\n`) : undefined,
  onFile: progress ? (() => {
    let done = 0;
    return () => process.stderr.write(`\r${bar(++done, files.length)} ${done}/${files.length} files`);
  })() : undefined,
});
if (progress) process.stderr.write('\n');
await db?.destroy();

const totals = totalsOf(results);
if (values.json && !dryRun) {
  console.log(JSON.stringify({ files: results, totals }));
} else {
  const out = values.json ? console.error : console.log;
  for (const r of results) {
    if (r.error) out(`rejected  ${r.file}: ${r.error}`);
    for (const item of r.rejected) out(`rejected  ${r.file} (${item.ref}): ${item.reason}`);
  }
  out(
    `${dryRun ? 'dry run, nothing stored: ' : ''}${totals.files} files: ${totals.new} new, ${totals.updated} updated, ` +
      `${totals.unchanged} unchanged, ${totals.rejected} rejected`,
  );
}
process.exitCode = totals.rejected > 0 ? 1 : 0;

function bar(done: number, total: number, width = 30): string {
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}]`;
}
