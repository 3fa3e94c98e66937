// npm run stats -- [--buyer <organisationsnummer>] (--period 2021|2021-Q3|2021-07 | --from <day> --to <day>) [--json]
// The local-supplier statistics (issue 14) on the command line, for scripts and
// scheduled reports. With --json, one JSON object (the last line) with the
// headline figures and every figure with its definition under "figures"
// (the overview, with youngFirms and categories added).
// Exit code: 0, or 2 on a usage or set-up error.
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { loadConfigOrExit } from '../src/config.ts';
import { parsePeriod } from '../src/domain/periods.ts';
import { categories, orgKey, overview, youngFirms } from '../src/stats/stats.service.ts';

const USAGE = 'usage: npm run stats -- [--buyer <organisationsnummer>] (--period 2021|2021-Q3|2021-07 | --from <YYYY-MM-DD> --to <YYYY-MM-DD>) [--json]';
function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { buyer?: string; from?: string; to?: string; period?: string; json?: boolean };
try {
  ({ values } = parseArgs({
    options: { buyer: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, period: { type: 'string' }, json: { type: 'boolean', default: false } },
  }));
} catch (error) {
  usage((error as Error).message);
}
const period = parsePeriod(values);
if (!period) usage('give --period, or --from and --to as days (to not before from)');
const buyer = values.buyer && values.buyer !== 'all' ? orgKey(values.buyer) : null;
if (values.buyer && values.buyer !== 'all' && !buyer) usage(`--buyer ${values.buyer}: not an organisationsnummer`);

const config = loadConfigOrExit(2);
const db = openDatabase(config.databaseUrl);
await migrateToLatest(db);
const settings = { homeMunicipality: config.homeMunicipality, localArea: config.localArea };
const o = await overview(db, settings, period, buyer);
const young = await youngFirms(db, settings, period, buyer);
const cats = await categories(db, settings, period, buyer);
await db.destroy();

const summary = {
  period: o.period,
  buyer: o.buyer,
  procurements: o.procurements.count,
  contracts: o.contracts.count,
  contractsBySize: o.smeShare.bySize,
  smeShare: o.smeShare.share,
  csrShare: { social: o.csrShare.social.share, environmental: o.csrShare.environmental.share, innovation: o.csrShare.innovation.share, reserved: o.csrShare.reserved.share },
  localShare: { count: o.localShare.count.share, value: o.localShare.value.share, unknown: o.localShare.count.unknown },
  sizeSources: o.smeShare.sources,
  youngFirms: { alerts: young.alerts.share, wins: young.wins.share, winsUnknown: young.wins.unknown },
  attentionDivisions: cats.rows.filter((r) => r.attention).map((r) => r.division),
  figures: { ...o, youngFirms: young, categories: cats },
};

if (values.json) {
  console.log(JSON.stringify(summary));
} else {
  const pct = (x: number | null) => (x === null ? 'okänt' : `${(x * 100).toFixed(1)} %`);
  const lines = [
    `Period ${o.period.label} (${o.period.from} – ${o.period.to}), köpare: ${o.buyer ?? 'alla'}; föregående period ${o.previousPeriod.label}`,
    `Upphandlingar: ${o.procurements.count} (föregående ${o.procurements.previous}), varav direktupphandlingar ${o.procurements.directAwards}`,
    `Kontrakt: ${o.contracts.count} (föregående ${o.contracts.previous})`,
    `Lokal andel, antal: ${pct(o.localShare.count.share)} (${o.localShare.count.numerator} av ${o.localShare.count.denominator} kända; ${o.localShare.count.unknown} okända); föregående ${pct(o.localShare.previous.count.share)}`,
    `Lokal andel, värde: ${pct(o.localShare.value.share)} (${o.localShare.value.unknown} kontrakt utan känd ort eller värde)`,
    `Per nivå: ${Object.entries(o.localShare.byLevel).map(([l, v]) => `${l} ${v.count}`).join(', ')}`,
    `Avgjort av: ${Object.entries(o.localShare.rules).map(([r, n]) => `${r} ${n}`).join(', ')}`,
    `Storlek: ${Object.entries(o.smeShare.bySize).map(([s, n]) => `${s} ${n}`).join(', ')}; SME-andel ${pct(o.smeShare.share)} (storlek från tilldelningen ${o.smeShare.sources.award}, från företagets profil ${o.smeShare.sources.firm})`,
    `Hållbarhet: ${(['social', 'environmental', 'innovation', 'reserved'] as const).map((k) => `${k} ${pct(o.csrShare[k].share)} (${o.csrShare[k].numerator})`).join(', ')}`,
    `Mottagna anbud per kontrakt: ${o.competition.meanTenders?.toFixed(2) ?? 'okänt'} (${o.competition.known} kända)`,
    `Unga företag (grundade efter ${young.foundedAfter} eller young-company): ${pct(young.alerts.share)} av aviseringarna (${young.alerts.numerator} av ${young.alerts.denominator}), ${pct(young.wins.share)} av kontrakten med registrerad vinnare (${young.wins.numerator} av ${young.wins.denominator}; ${young.wins.unknown} okända)`,
    `CPV-huvudgrupper där mycket köps och få lokala företag finns: ${cats.rows.filter((r) => r.attention).map((r) => `${r.division} (${r.contracts.numerator} kontrakt, ${r.localFirms.numerator} lokala företag)`).join(', ') || 'inga'}`,
  ];
  console.log(lines.join('\n'));
}
