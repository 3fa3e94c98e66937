// The statistics as tables (issue 14): every figure of a period and buyer
// gathered from the stats service, laid out as the tables the staff pages show,
// and the same tables as CSV (Swedish Excel's `;` with a BOM and decimal
// commas by default, or RFC 4180) and as an .xlsx workbook (exceljs), numbers
// kept as numbers. Only the service's exported functions are called here.
import ExcelJS from 'exceljs';
import type { Db } from '../../db/database.ts';
import { CPV_DIVISIONS } from '../domain/cpv.ts';
import { CAPABILITIES, isCapability } from '../domain/csr.ts';
import { LOCALITY_LEVELS, LOCALITY_RULES } from '../domain/locality.ts';
import type { Period } from '../domain/periods.ts';
import { messages, t, type Lang, type MessageKey } from '../i18n/messages.ts';
import * as stats from './stats.service.ts';

export const BREAKDOWN_TABLES = ['contract-type', 'cpv-division', 'procedure', 'size', 'buyer'] as const;
export type BreakdownBy = (typeof BREAKDOWN_TABLES)[number];
const CSR = ['social', 'environmental', 'innovation', 'reserved'] as const;
const SIZES = ['micro', 'small', 'medium', 'large', 'unknown'] as const;

export type Figures = {
  period: Period;
  buyer: string | null;
  overview: stats.Overview;
  reach: Awaited<ReturnType<typeof stats.reach>>;
  capabilities: Awaited<ReturnType<typeof stats.capabilities>>;
  /** Null when no invoice of the period is held. */
  spend: Awaited<ReturnType<typeof stats.spend>> | null;
  breakdowns: Record<BreakdownBy, Awaited<ReturnType<typeof stats.breakdown>>>;
  youngFirms: Awaited<ReturnType<typeof stats.youngFirms>>;
  categories: Awaited<ReturnType<typeof stats.categories>>;
};

/** Every figure of a period and buyer, as the API's routes give them one by one. */
export async function gatherFigures(db: Db, settings: stats.StatsSettings, period: Period, buyer: string | null): Promise<Figures> {
  const overview = await stats.overview(db, settings, period, buyer); // brings the derived tables up to date first
  const [reach, capabilities, spend, youngFirms, categories, ...lists] = await Promise.all([
    stats.reach(db, settings, period, buyer),
    stats.capabilities(db, settings, period),
    stats.spend(db, settings, period, buyer),
    stats.youngFirms(db, settings, period, buyer),
    stats.categories(db, settings, period, buyer),
    ...BREAKDOWN_TABLES.map((by) => stats.breakdown(db, settings, period, buyer, by)),
  ]);
  const invoiced = Object.values(spend.byLevel).some((v) => v !== 0);
  return {
    period, buyer, overview, reach, capabilities, spend: invoiced ? spend : null, youngFirms, categories,
    breakdowns: Object.fromEntries(BREAKDOWN_TABLES.map((by, i) => [by, lists[i]])) as Figures['breakdowns'],
  };
}

// ---------------------------------------------------------------------------
// Tables

export type CellValue = string | number | null;
/** `share`: a fraction 0–1; `sek`: whole kronor; `decimal`: a mean. */
export type ColumnKind = 'text' | 'int' | 'share' | 'sek' | 'decimal';
export type Column = { key: string; label: string; kind: ColumnKind };
export type StatTable = { id: string; title: string; columns: Column[]; rows: CellValue[][] };

/** A message when the catalogue has the key, else the fallback (e.g. a code no label exists for). */
const labelOr = (lang: Lang, key: string, fallback: string) =>
  Object.hasOwn(messages[lang], key) ? t(lang, key as MessageKey) : fallback;

const col = (lang: Lang, key: string, kind: ColumnKind): Column => ({ key, label: t(lang, `stats.col.${key}` as MessageKey), kind });

/** What a breakdown's key means, in words. */
export function breakdownLabel(by: BreakdownBy | 'source', key: string | null, lang: Lang, buyerNames: Map<string, string> = new Map()): string {
  if (key === null || key === '') return t(lang, 'stats.key.none');
  switch (by) {
    case 'contract-type': return labelOr(lang, `stats.type.${key}`, key);
    case 'cpv-division': return CPV_DIVISIONS[key] ? `${key} ${CPV_DIVISIONS[key][lang]}` : key;
    case 'procedure': return labelOr(lang, `pub.procedure.${key}`, key);
    case 'size': return labelOr(lang, `stats.size.${key}`, key);
    case 'buyer': return buyerNames.get(key) ?? key;
    default: return key;
  }
}

/** Every table of the figures, in the page's order; `buyerNames` by organisationsnummer (10 digits). */
export function statTables(f: Figures, lang: Lang, buyerNames: Map<string, string> = new Map()): StatTable[] {
  const o = f.overview;
  const tables: StatTable[] = [];
  const frac = (code: string, label: string, now: stats.Fraction, prev: stats.Fraction | null): CellValue[] =>
    [code, label, now.numerator, now.denominator, now.unknown, now.share, prev?.numerator ?? null, prev?.denominator ?? null, prev?.share ?? null];
  const figureRows: CellValue[][] = [
    ['procurements', t(lang, 'stats.figure.procurements'), o.procurements.count, null, null, null, o.procurements.previous, null, null],
    ['directAwards', t(lang, 'stats.figure.directAwards'), o.procurements.directAwards, null, null, null, null, null, null],
    ['contracts', t(lang, 'stats.figure.contracts'), o.contracts.count, null, null, null, o.contracts.previous, null, null],
    frac('localShare.count', t(lang, 'stats.figure.localShare.count'), o.localShare.count, o.localShare.previous.count),
    frac('localShare.value', t(lang, 'stats.figure.localShare.value'), o.localShare.value, o.localShare.previous.value),
    frac('smeShare', t(lang, 'stats.figure.smeShare'), o.smeShare, o.smeShare.previous),
    ...CSR.map((k) => frac(`csrShare.${k}`, t(lang, `stats.figure.csr.${k}`), o.csrShare[k], o.csrShare.previous[k])),
    ...CSR.map((k) => frac(`csrShare.${k}.localWins`, t(lang, 'stats.figure.csrLocal', { name: t(lang, `stats.figure.csr.${k}`) }), o.csrShare[k].localWins, o.csrShare.previous[k].localWins)),
    frac('reach', t(lang, 'stats.figure.reach'), f.reach.reach, f.reach.reach.previous),
    frac('conversion', t(lang, 'stats.figure.conversion'), f.reach.conversion, null),
  ];
  figureRows.push(
    frac('youngFirms.alerts', t(lang, 'stats.figure.youngAlerts'), f.youngFirms.alerts, null),
    frac('youngFirms.wins', t(lang, 'stats.figure.youngWins'), f.youngFirms.wins, null),
  );
  if (f.spend) figureRows.push(frac('spend', t(lang, 'stats.figure.spend'), f.spend, null));
  tables.push({
    id: 'figures', title: t(lang, 'stats.table.figures'),
    columns: [col(lang, 'code', 'text'), col(lang, 'figure', 'text'), col(lang, 'numerator', 'int'), col(lang, 'denominator', 'int'), col(lang, 'unknown', 'int'), col(lang, 'share', 'share'), col(lang, 'prevNumerator', 'int'), col(lang, 'prevDenominator', 'int'), col(lang, 'prevShare', 'share')],
    rows: figureRows,
  });

  tables.push({
    id: 'levels', title: t(lang, 'stats.table.levels'),
    columns: [col(lang, 'code', 'text'), col(lang, 'level', 'text'), col(lang, 'contracts', 'int'), col(lang, 'countShare', 'share'), col(lang, 'value', 'sek'), col(lang, 'valueShare', 'share'), col(lang, 'prevContracts', 'int'), col(lang, 'prevCountShare', 'share')],
    rows: LOCALITY_LEVELS.map((l) => {
      const now = o.localShare.byLevel[l];
      const prev = o.localShare.previous.byLevel[l];
      return [l, t(lang, `stats.level.${l}`), now.count, now.countShare, now.value, now.valueShare, prev.count, prev.countShare];
    }),
  });

  tables.push({
    id: 'rules', title: t(lang, 'stats.table.rules'),
    columns: [col(lang, 'code', 'text'), col(lang, 'rule', 'text'), col(lang, 'contracts', 'int')],
    rows: LOCALITY_RULES.map((r) => [r, t(lang, `stats.rule.${r}`), o.localShare.rules[r] ?? 0]),
  });

  tables.push({
    id: 'size', title: t(lang, 'stats.table.size'),
    columns: [col(lang, 'code', 'text'), col(lang, 'size', 'text'), col(lang, 'contracts', 'int'), col(lang, 'prevContracts', 'int')],
    rows: SIZES.map((s) => [s, t(lang, `stats.size.${s}`), o.smeShare.bySize[s], o.smeShare.previous.bySize[s]]),
  });

  const c = o.competition;
  tables.push({
    id: 'competition', title: t(lang, 'stats.table.competition'),
    columns: [col(lang, 'code', 'text'), col(lang, 'group', 'text'), col(lang, 'meanTenders', 'decimal')],
    rows: [['all', t(lang, 'stats.competition.all'), c.meanTenders], ['local', t(lang, 'stats.competition.local'), c.local], ['nonLocal', t(lang, 'stats.competition.nonLocal'), c.nonLocal]],
  });

  const prevCaps = new Map(f.capabilities.capabilities.map((x) => [x.capability, x.previous]));
  tables.push({
    id: 'capabilities', title: t(lang, 'stats.table.capabilities'),
    columns: [col(lang, 'code', 'text'), col(lang, 'capability', 'text'), col(lang, 'firms', 'int'), col(lang, 'share', 'share'), col(lang, 'prevFirms', 'int'), col(lang, 'prevShare', 'share')],
    rows: f.capabilities.capabilities.map((x) => [
      x.capability, isCapability(x.capability) ? CAPABILITIES[x.capability][lang] : x.capability, x.numerator, x.share, prevCaps.get(x.capability)?.numerator ?? null, prevCaps.get(x.capability)?.share ?? null,
    ]),
  });

  const y = f.youngFirms;
  tables.push({
    id: 'young-firms', title: t(lang, 'stats.table.youngFirms'),
    columns: [col(lang, 'code', 'text'), col(lang, 'level', 'text'), col(lang, 'youngAlerts', 'int'), col(lang, 'alerts', 'int'), col(lang, 'alertsShare', 'share'), col(lang, 'youngWins', 'int'), col(lang, 'wins', 'int'), col(lang, 'winsShare', 'share')],
    rows: LOCALITY_LEVELS.map((l) => [l, t(lang, `stats.level.${l}`), y.alerts.byLevel[l].numerator, y.alerts.byLevel[l].denominator, y.alerts.byLevel[l].share, y.wins.byLevel[l].numerator, y.wins.byLevel[l].denominator, y.wins.byLevel[l].share]),
  });

  tables.push({
    id: 'categories', title: t(lang, 'stats.table.categories'),
    columns: [col(lang, 'code', 'text'), col(lang, 'group', 'text'), col(lang, 'contracts', 'int'), col(lang, 'share', 'share'), col(lang, 'value', 'sek'), col(lang, 'valueShare', 'share'),
      col(lang, 'localFirms', 'int'), col(lang, 'registeredFirms', 'int'), col(lang, 'localShare', 'share'), col(lang, 'contractsPerLocalFirm', 'decimal'), col(lang, 'attention', 'text')],
    rows: f.categories.rows.map((r) => [
      r.division, breakdownLabel('cpv-division', r.division, lang), r.contracts.numerator, r.contracts.share, r.value.numerator, r.value.share,
      r.localFirms.numerator, r.registeredFirms, r.localWins.share, r.contractsPerLocalFirm, t(lang, r.attention ? 'stats.yes' : 'stats.no'),
    ]),
  });

  if (f.spend) {
    const spend = f.spend;
    tables.push({
      id: 'spend', title: t(lang, 'stats.table.spend'),
      columns: [col(lang, 'code', 'text'), col(lang, 'level', 'text'), col(lang, 'amount', 'sek')],
      rows: LOCALITY_LEVELS.map((l) => [l, t(lang, `stats.level.${l}`), spend.byLevel[l]]),
    });
  }

  for (const by of BREAKDOWN_TABLES) {
    const b = f.breakdowns[by];
    tables.push({
      id: `breakdown-${by}`, title: t(lang, `stats.table.breakdown.${by}`),
      columns: [
        col(lang, 'code', 'text'), col(lang, 'group', 'text'), col(lang, 'contracts', 'int'),
        ...LOCALITY_LEVELS.map((l): Column => ({ key: l, label: t(lang, `stats.level.${l}`), kind: 'int' })),
        col(lang, 'value', 'sek'), col(lang, 'localShare', 'share'),
      ],
      rows: b.rows.map((r) => [
        r.key ?? '', breakdownLabel(by, r.key, lang, buyerNames), r.contracts, ...LOCALITY_LEVELS.map((l) => r.byLevel[l].count),
        LOCALITY_LEVELS.reduce((s, l) => s + r.byLevel[l].value, 0), r.localShare.share,
      ]),
    });
  }
  return tables;
}

/** One year of the yearly report's trend. */
export type TrendYear = { year: string; overview: stats.Overview };

export function trendTable(years: TrendYear[], lang: Lang): StatTable {
  return {
    id: 'trend', title: t(lang, 'stats.table.trend'),
    columns: [col(lang, 'year', 'text'), col(lang, 'procurements', 'int'), col(lang, 'contracts', 'int'), col(lang, 'localShare', 'share'), col(lang, 'smeShare', 'share'),
      ...CSR.map((k): Column => ({ key: k, label: t(lang, `stats.figure.csr.${k}`), kind: 'share' }))],
    rows: years.map(({ year, overview: o }) => [year, o.procurements.count, o.contracts.count, o.localShare.count.share, o.smeShare.share, ...CSR.map((k) => o.csrShare[k].share)]),
  };
}

// ---------------------------------------------------------------------------
// CSV

export type CsvFormat = 'excel-sv' | 'rfc4180';

/**
 * A table as CSV. `excel-sv` (the default): UTF-8 with a BOM, `;` between
 * fields and decimal commas, as Swedish Excel opens a file by double-click;
 * `rfc4180`: `,` and decimal points, no BOM. Both end lines with CRLF and
 * quote a field holding the separator, a quote or a line break (quotes
 * doubled). A text beginning with = + - @ or a tab is prefixed with `'`, so
 * a spreadsheet never runs it as a formula (OWASP's CSV injection advice).
 */
export function toCsv(table: StatTable, format: CsvFormat = 'excel-sv'): string {
  const sep = format === 'excel-sv' ? ';' : ',';
  const field = (value: CellValue, kind: ColumnKind): string => {
    if (value === null || value === undefined) return '';
    let text: string;
    if (typeof value === 'number') {
      text = String(value);
      if (format === 'excel-sv') text = text.replace('.', ',');
    } else {
      text = kind === 'text' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    }
    return text.includes(sep) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((c) => field(c.label, 'text')), ...table.rows.map((r) => r.map((v, i) => field(v, table.columns[i].kind)))];
  return `${format === 'excel-sv' ? '\uFEFF' : ''}${lines.map((l) => l.join(sep)).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------
// xlsx

const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = { share: '0.0%', sek: '#,##0', decimal: '0.00', int: '0' };

/** Excel's sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (id: string) => id.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);

/**
 * The tables as one workbook, a sheet per table (named by its id) with the
 * column labels in its first row; numbers are numbers (shares as fractions
 * shown as percent). `about` rows go to a first sheet: the period, the buyer,
 * the definitions.
 */
export async function toXlsx(tables: StatTable[], about: [string, string][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Brygga';
  const info = wb.addWorksheet('about');
  for (const row of about) info.addRow(row);
  info.getColumn(1).width = 28;
  info.getColumn(2).width = 100;
  info.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  for (const table of tables) {
    const ws = wb.addWorksheet(sheetName(table.id));
    ws.addRow(table.columns.map((c) => c.label)).font = { bold: true };
    for (const r of table.rows) ws.addRow(r.map((v) => (v === null ? null : v)));
    table.columns.forEach((c, i) => {
      const column = ws.getColumn(i + 1);
      column.width = c.kind === 'text' ? 28 : 16;
      const fmt = NUMBER_FORMATS[c.kind];
      if (fmt) column.eachCell((cell, rowNumber) => { if (rowNumber > 1) cell.numFmt = fmt; });
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
