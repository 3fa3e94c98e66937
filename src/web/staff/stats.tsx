/** @jsxRuntime automatic @jsxImportSource preact */
// The pieces of the statistics pages (src/web/staff/stats.routes.tsx): a
// table of src/stats/export.ts shown as an FKUI table, a figure with its
// definition, numerator, denominator and unknowns, and the charts.
import type { ComponentChildren } from 'preact';
import type { Definition } from '../../stats/definitions.ts';
import type { Fraction } from '../../stats/stats.service.ts';
import type { CellValue, ColumnKind, Figures, StatTable } from '../../stats/export.ts';
import { LOCALITY_LEVELS } from '../../domain/locality.ts';
import { t, type Lang } from '../../i18n/messages.ts';
import { barsSvg, Chart, CHART_COLOURS, linesSvg, stackedBarsSvg } from '../components/chart.tsx';
import { Cell, DataTable, number } from './components.tsx';

const locale = (lang: Lang) => (lang === 'sv' ? 'sv-SE' : 'en-GB');

export const percent = (share: number | null, lang: Lang) =>
  share === null ? '–' : share.toLocaleString(locale(lang), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const kronor = (amount: number, lang: Lang) => `${Math.round(amount).toLocaleString(locale(lang))} kr`;

/** A cell of a stats table as the page shows it. */
export function formatCell(value: CellValue, kind: ColumnKind, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'share': return percent(value, lang);
    case 'sek': return kronor(value, lang);
    case 'decimal': return value.toLocaleString(locale(lang), { maximumFractionDigits: 2 });
    default: return number(value, lang);
  }
}

/** A table of the figures; the code column (for exports) is left out; `limit` shows the first rows only. */
export function StatTableView({ table, lang, limit, caption }: { table: StatTable; lang: Lang; limit?: number; caption?: string }) {
  const shown = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.key !== 'code');
  const rows = limit ? table.rows.slice(0, limit) : table.rows;
  return (
    <>
      <DataTable id={`table-${table.id}`} caption={caption ?? table.title} head={shown.map(({ c }) => c.label)}
        numeric={shown.map(({ c }, j) => (c.kind === 'text' ? -1 : j)).filter((j) => j >= 0)}>
        {rows.map((r, k) => (
          <tr class="table__row" key={k}>
            {shown.map(({ c, i }) => <Cell key={c.key} numeric={c.kind !== 'text'}>{formatCell(r[i], c.kind, lang)}</Cell>)}
          </tr>
        ))}
      </DataTable>
      {limit && table.rows.length > limit ? <p class="meta">{t(lang, 'stats.table.limited', { n: number(limit, lang), m: number(table.rows.length, lang) })}</p> : null}
    </>
  );
}

export const shareText = (f: Pick<Fraction, 'numerator' | 'denominator' | 'share'>, lang: Lang) =>
  f.share === null ? t(lang, 'stats.share.none') : t(lang, 'stats.share.of', { share: percent(f.share, lang), numerator: number(f.numerator, lang), denominator: number(f.denominator, lang) });

/** The definition beside a figure. */
export const DefinitionText = ({ definition, lang }: { definition: Definition; lang: Lang }) => (
  <p class="stat-definition"><strong>{t(lang, 'stats.definition')}:</strong> {definition[lang]}</p>
);

/** One figure: its name, the share with numerator and denominator, the previous period, what is unknown. */
export function FigureLine({ name, now, previous, unknown, lang }: {
  name: string; now: Fraction; previous?: Fraction | null; unknown?: string | null; lang: Lang;
}) {
  return (
    <div class="stat-figure">
      <p class="stat-figure__value"><strong>{name}:</strong> {shareText(now, lang)}</p>
      {previous ? <p class="stat-figure__previous">{t(lang, 'stats.previous', { value: shareText(previous, lang) })}</p> : null}
      {unknown ? <p class="stat-figure__unknown">{unknown}</p> : null}
    </div>
  );
}

export const Section = ({ id, title, children }: { id: string; title: string; children: ComponentChildren }) => (
  <section class="stat-section" id={id} aria-labelledby={`${id}-heading`}>
    <h2 id={`${id}-heading`}>{title}</h2>
    {children}
  </section>
);

const tableOf = (tables: StatTable[], id: string) => tables.find((x) => x.id === id)!;

/** Contracts per locality level, this period as bars and the previous as ticks, with the levels table. */
export function LevelsChart({ f, tables, lang, id = 'chart-levels' }: { f: Figures; tables: StatTable[]; lang: Lang; id?: string }) {
  const o = f.overview;
  const caption = t(lang, 'stats.chart.levels');
  const svg = barsSvg({
    label: caption, xLabel: t(lang, 'stats.chart.axis.contracts'), previousLabel: t(lang, 'stats.chart.series.previous'),
    rows: LOCALITY_LEVELS.map((l) => ({ y: t(lang, `stats.level.${l}`), x: o.localShare.byLevel[l].count, previous: o.localShare.previous.byLevel[l].count })),
  });
  const summary = t(lang, 'stats.chart.levels.summary', {
    home: number(o.localShare.count.numerator, lang), known: number(o.localShare.count.denominator, lang), share: percent(o.localShare.count.share, lang),
    previous: percent(o.localShare.previous.count.share, lang), unknown: number(o.localShare.count.unknown, lang),
  });
  return (
    <Chart id={id} caption={caption} svg={svg} summary={summary} summaryLabel={t(lang, 'stats.chart.summary')}
      legend={[{ label: t(lang, 'stats.chart.series.current') }, { label: t(lang, 'stats.chart.series.previous'), kind: 'tick' }]}>
      <StatTableView table={tableOf(tables, 'levels')} lang={lang} />
    </Chart>
  );
}

/** Contracts per supplier size. */
export function SizeChart({ f, tables, lang }: { f: Figures; tables: StatTable[]; lang: Lang }) {
  const bySize = f.overview.smeShare.bySize;
  const sizes = ['micro', 'small', 'medium', 'large', 'unknown'] as const;
  const caption = t(lang, 'stats.chart.size');
  const svg = barsSvg({ label: caption, xLabel: t(lang, 'stats.chart.axis.contracts'), rows: sizes.map((s) => ({ y: t(lang, `stats.size.${s}`), x: bySize[s] })) });
  const top = [...sizes].sort((a, b) => bySize[b] - bySize[a])[0];
  const total = sizes.reduce((s, k) => s + bySize[k], 0);
  const summary = t(lang, 'stats.chart.size.summary', {
    top: t(lang, `stats.size.${top}`).toLocaleLowerCase(locale(lang)), n: number(bySize[top], lang), m: number(total, lang), share: percent(f.overview.smeShare.share, lang),
  });
  return (
    <Chart id="chart-size" caption={caption} svg={svg} summary={summary} summaryLabel={t(lang, 'stats.chart.summary')}>
      <StatTableView table={tableOf(tables, 'size')} lang={lang} />
    </Chart>
  );
}

/** Contracts per procurement type, stacked by local, other known and unknown place. */
export function TypeChart({ f, tables, lang }: { f: Figures; tables: StatTable[]; lang: Lang }) {
  const rows = f.breakdowns['contract-type'].rows;
  const table = tableOf(tables, 'breakdown-contract-type');
  const label = (key: string | null) => table.rows.find((r) => r[0] === (key ?? ''))?.[1] as string;
  const series = [t(lang, 'stats.chart.series.local'), t(lang, 'stats.chart.series.other'), t(lang, 'stats.chart.series.unknown')];
  const caption = t(lang, 'stats.chart.type');
  const svg = stackedBarsSvg({
    label: caption, xLabel: t(lang, 'stats.chart.axis.contracts'), series,
    rows: rows.map((r) => ({ y: label(r.key), values: [r.byLevel.home.count, r.contracts - r.byLevel.home.count - r.byLevel.unknown.count, r.byLevel.unknown.count] })),
  });
  const total = rows.reduce((s, r) => s + r.contracts, 0);
  const summary = rows.length
    ? t(lang, 'stats.chart.type.summary', {
      top: label(rows[0].key).toLocaleLowerCase(locale(lang)), n: number(rows[0].contracts, lang), m: number(total, lang),
      shares: rows.map((r) => `${label(r.key)} ${percent(r.localShare.share, lang)}`).join(', '),
    })
    : t(lang, 'stats.chart.none');
  return (
    <Chart id="chart-type" caption={caption} svg={svg} summary={summary} summaryLabel={t(lang, 'stats.chart.summary')} legend={series.map((label) => ({ label }))}>
      <StatTableView table={table} lang={lang} />
    </Chart>
  );
}

/** The yearly report's trend: local share and SME share per year. */
export function TrendChart({ table, lang }: { table: StatTable; lang: Lang }) {
  const years = table.rows.map((r) => String(r[0]));
  const local = table.rows.map((r) => r[3] as number | null);
  const sme = table.rows.map((r) => r[4] as number | null);
  const caption = t(lang, 'stats.chart.trend');
  const series = [{ label: t(lang, 'stats.chart.series.localShare'), values: local }, { label: t(lang, 'stats.chart.series.smeShare'), values: sme }];
  const svg = linesSvg({ xs: years, series, label: caption, yLabel: t(lang, 'stats.chart.axis.share') });
  const list = (values: (number | null)[]) => years.map((y, i) => `${y} ${percent(values[i], lang)}`).join(', ');
  return (
    <Chart id="chart-trend" caption={caption} svg={svg} summary={t(lang, 'stats.chart.trend.summary', { local: list(local), sme: list(sme) })}
      summaryLabel={t(lang, 'stats.chart.summary')} legend={series.map((s) => ({ label: s.label }))}>
      <StatTableView table={table} lang={lang} />
    </Chart>
  );
}

export { CHART_COLOURS };
