/** @jsxRuntime automatic @jsxImportSource preact */
// The statistics pages for staff and admins (issue 14): /staff/stats (a GET
// form choosing the period and buyer, every figure with its definition,
// numerator, denominator and unknowns, charts with their tables), the exports
// (/staff/stats/export.csv, /staff/stats/export.xlsx) and the yearly report
// (/staff/stats/report). The figures come from src/stats/ (the same service as
// GET /api/stats/…); the tables and exports from src/stats/export.ts.
import type { Request } from 'express';
import type { Db } from '../../../db/database.ts';
import { parsePeriod, previousPeriod, type Period } from '../../domain/periods.ts';
import { AppError } from '../../http/errors.ts';
import { roles, type SecuredRouter } from '../../http/secured-router.ts';
import { formatDate, t, type Lang } from '../../i18n/messages.ts';
import { DEFINITIONS } from '../../stats/definitions.ts';
import { gatherFigures, statTables, toCsv, toXlsx, trendTable, type Figures, type StatTable, type TrendYear } from '../../stats/export.ts';
import * as stats from '../../stats/stats.service.ts';
import { Button, ErrorSummary, SelectField, TextField, type FormErrors } from '../components/form.tsx';
import { requestLang, type WebContext } from '../context.ts';
import { page } from '../render.tsx';
import { number, StaffNav } from './components.tsx';
import { buyerNamesByOrg } from './stats.repo.ts';
import { DefinitionText, FigureLine, kronor, LevelsChart, Section, SizeChart, StatTableView, TrendChart, TypeChart, shareText } from './stats.tsx';

export type StatsPagesDeps = {
  db: Db;
  settings: stats.StatsSettings;
  /** The home municipality's own organisationsnummer (10 digits), when known: the default buyer. */
  homeBuyer: string | null;
};

/** Lerums kommun: the home buyer when Lerum is the home municipality and nothing else is configured. */
export const LERUM = { municipality: '1441', orgNumber: '2120001447' };

type StatsForm = { period: string; from: string; to: string; buyer: string; otherBuyer: string };
type Selection = { form: StatsForm; errors: FormErrors; period: Period | null; buyer: string | null };

const BUYER_OPTIONS = 30;
const one = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 40) : '');

/** The form's values from the query; the period defaults to last year, the buyer to the home municipality. */
function selection(query: Request['query'], homeBuyer: string | null, lang: Lang): Selection {
  const form: StatsForm = { period: one(query.period), from: one(query.from), to: one(query.to), buyer: one(query.buyer), otherBuyer: one(query.otherBuyer) };
  if (!form.period && !form.from && !form.to) form.period = String(new Date().getUTCFullYear() - 1);
  if (!form.buyer) form.buyer = homeBuyer ?? 'all';
  const errors: FormErrors = {};
  const period = parsePeriod(form.period ? { period: form.period } : { from: form.from, to: form.to });
  if (!period) errors[form.period || !form.from ? 'period' : 'from'] = t(lang, 'stats.form.error.period');
  let buyer: string | null = null;
  if (form.otherBuyer) {
    buyer = stats.orgKey(form.otherBuyer);
    if (!buyer) errors.otherBuyer = t(lang, 'stats.form.error.buyer');
  } else if (form.buyer !== 'all') {
    buyer = stats.orgKey(form.buyer);
    if (!buyer) errors.buyer = t(lang, 'stats.form.error.buyer');
  }
  return { form, errors, period, buyer };
}

/** The query string of a selection (as the API takes it), for links to exports and the report. */
export function selectionQuery(period: Period, buyer: string | null, extra: Record<string, string> = {}): string {
  const p: Record<string, string> = /^\d{4}(-Q[1-4]|-\d{2})?$/.test(period.label) ? { period: period.label } : { from: period.from, to: period.to };
  return new URLSearchParams({ ...p, buyer: buyer ?? 'all', ...extra }).toString();
}

/** The period and buyer of an export or report link; a bad one is a 400. */
function exportSelection(req: Request, homeBuyer: string | null) {
  const s = selection(req.query, homeBuyer, requestLang(req));
  if (Object.keys(s.errors).length || !s.period) throw new AppError(400, 'validation_failed', Object.values(s.errors).join(' '));
  return { period: s.period, buyer: s.buyer };
}

const periodText = (p: Period, lang: Lang) => (p.label.includes('–') ? `${formatDate(p.from, lang)}–${formatDate(p.to, lang)}` : p.label);

export function statsPages(router: SecuredRouter, { db, settings, homeBuyer }: StatsPagesDeps): void {
  const staff = roles('staff', 'admin');

  const buyerName = async (buyer: string | null, lang: Lang) =>
    buyer === null ? t(lang, 'stats.buyer.all') : ((await buyerNamesByOrg(db, [buyer])).get(buyer) ?? t(lang, 'stats.buyer.unnamed', { org: buyer }));

  /** Names of every buyer in the tables (the buyer breakdown) and of the chosen one. */
  const namesFor = (f: Figures | null, buyer: string | null) =>
    buyerNamesByOrg(db, [...new Set([...(f?.breakdowns.buyer.rows.map((r) => r.key).filter((k): k is string => !!k) ?? []), ...(buyer ? [buyer] : []), ...(homeBuyer ? [homeBuyer] : [])])]);

  router.get('/stats', staff, async (req, res) => {
    const lang = requestLang(req);
    const s = selection(req.query, homeBuyer, lang);
    const failed = Object.keys(s.errors).length > 0 || !s.period;
    const f = failed ? null : await gatherFigures(db, settings, s.period!, s.buyer);
    const names = await namesFor(f, s.buyer);
    page(req, res, { title: t('sv', 'stats.title'), status: failed ? 400 : 200 }, (ctx) => (
      <>
        <StaffNav lang={ctx.lang} current="/staff/stats" />
        <h1>{t(ctx.lang, 'stats.title')}</h1>
        <p class="lead">{t(ctx.lang, 'stats.intro')}</p>
        <ErrorSummary ctx={ctx} errors={s.errors} />
        <SelectionForm ctx={ctx} s={s} names={names} homeBuyer={homeBuyer} figures={f} />
        {f ? <StatsBody ctx={ctx} f={f} names={names} /> : null}
      </>
    ));
  });

  router.get('/stats/export.csv', staff, async (req, res) => {
    const { period, buyer } = exportSelection(req, homeBuyer);
    const id = typeof req.query.table === 'string' ? req.query.table : 'figures';
    const format = req.query.format === 'rfc4180' ? 'rfc4180' : 'excel-sv';
    const f = await gatherFigures(db, settings, period, buyer);
    const table = statTables(f, requestLang(req), await namesFor(f, buyer)).find((x) => x.id === id);
    if (!table) throw new AppError(404, 'not_found', `No table ${id}`);
    res.set('Cache-Control', 'no-store');
    res.attachment(`brygga-${fileStem(period, buyer)}-${table.id}.csv`);
    res.type(format === 'rfc4180' ? 'text/csv; charset=utf-8; header=present' : 'text/csv; charset=utf-8').send(toCsv(table, format));
  });

  router.get('/stats/export.xlsx', staff, async (req, res) => {
    const lang = requestLang(req);
    const { period, buyer } = exportSelection(req, homeBuyer);
    const f = await gatherFigures(db, settings, period, buyer);
    const names = await namesFor(f, buyer);
    const about: [string, string][] = [
      [t(lang, 'stats.form.period'), period.label], [t(lang, 'stats.form.buyer'), buyer ? `${names.get(buyer) ?? ''} ${buyer}`.trim() : t(lang, 'stats.buyer.all')],
      ...Object.entries(DEFINITIONS).map(([key, d]): [string, string] => [key, d[lang]]),
    ];
    const body = await toXlsx(statTables(f, lang, names), about);
    res.set('Cache-Control', 'no-store');
    res.attachment(`brygga-${fileStem(period, buyer)}.xlsx`);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(body);
  });

  router.get('/stats/report', staff, async (req, res) => {
    const lang = requestLang(req);
    const yearText = one(req.query.year) || String(new Date().getUTCFullYear() - 1);
    const buyerSel = selection({ period: yearText, buyer: req.query.buyer ?? undefined, otherBuyer: req.query.otherBuyer ?? undefined }, homeBuyer, lang);
    const errors: FormErrors = {};
    if (!/^\d{4}$/.test(yearText)) errors.year = t(lang, 'stats.form.error.year');
    if (buyerSel.errors.buyer || buyerSel.errors.otherBuyer) errors.buyer = t(lang, 'stats.form.error.buyer');
    if (Object.keys(errors).length) {
      page(req, res, { title: t('sv', 'stats.report.title', { year: yearText }), status: 400 }, (ctx) => (
        <>
          <h1>{t(ctx.lang, 'stats.report.title', { year: yearText })}</h1>
          <ErrorSummary ctx={ctx} errors={errors} />
          <ReportForm ctx={ctx} year={yearText} buyer={buyerSel.form.buyer} errors={errors} />
        </>
      ));
      return;
    }
    const period = parsePeriod({ period: yearText })!;
    const f = await gatherFigures(db, settings, period, buyerSel.buyer);
    const years: TrendYear[] = [];
    for (let y = Number(yearText) - 4; y < Number(yearText); y++) {
      const o = await stats.overview(db, settings, parsePeriod({ period: String(y) })!, buyerSel.buyer);
      if (o.procurements.count || o.contracts.count) years.push({ year: String(y), overview: o });
    }
    years.push({ year: yearText, overview: f.overview });
    const names = await namesFor(f, buyerSel.buyer);
    const who = await buyerName(buyerSel.buyer, lang);
    page(req, res, { title: t('sv', 'stats.report.title', { year: yearText }) }, (ctx) => (
      <Report ctx={ctx} f={f} year={yearText} buyer={buyerSel.buyer} who={who} names={names} years={years} />
    ));
  });
}

const fileStem = (period: Period, buyer: string | null) => `statistik-${period.label.replace(/[^\w-]/g, '_')}-${buyer ?? 'alla'}`;

// --- the form -----------------------------------------------------------------

function buyerOptions(ctx: WebContext, names: Map<string, string>, homeBuyer: string | null, f: Figures | null, chosen: string) {
  const { lang } = ctx;
  const options = [
    ...(homeBuyer ? [{ value: homeBuyer, label: t(lang, 'stats.form.buyer.home', { name: names.get(homeBuyer) ?? homeBuyer }) }] : []),
    { value: 'all', label: t(lang, 'stats.form.buyer.all') },
  ];
  const listed = new Set(options.map((o) => o.value));
  const add = (org: string) => {
    if (listed.has(org)) return;
    listed.add(org);
    options.push({ value: org, label: `${names.get(org) ?? org} (${org.slice(0, 6)}-${org.slice(6)})` });
  };
  const chosenKey = stats.orgKey(chosen);
  if (chosenKey) add(chosenKey);
  for (const r of f?.breakdowns.buyer.rows.slice(0, BUYER_OPTIONS) ?? []) if (r.key) add(r.key);
  return options;
}

function SelectionForm({ ctx, s, names, homeBuyer, figures }: { ctx: WebContext; s: Selection; names: Map<string, string>; homeBuyer: string | null; figures: Figures | null }) {
  const { lang } = ctx;
  return (
    <form method="get" action="/staff/stats" class="filter-form stats-form no-print">
      <TextField name="period" label={t(lang, 'stats.form.period')} hint={t(lang, 'stats.form.period.hint')} value={s.form.period} error={s.errors.period} />
      <TextField name="from" label={t(lang, 'stats.form.from')} value={s.form.from} error={s.errors.from} inputMode="numeric" />
      <TextField name="to" label={t(lang, 'stats.form.to')} value={s.form.to} inputMode="numeric" />
      <SelectField name="buyer" label={t(lang, 'stats.form.buyer')} value={stats.orgKey(s.form.buyer) ?? s.form.buyer}
        options={buyerOptions(ctx, names, homeBuyer, figures, s.form.buyer)} error={s.errors.buyer} />
      <TextField name="otherBuyer" label={t(lang, 'stats.form.otherBuyer')} hint={t(lang, 'stats.form.otherBuyer.hint')} value={s.form.otherBuyer} error={s.errors.otherBuyer} />
      <Button>{t(lang, 'stats.form.submit')}</Button>
    </form>
  );
}

// --- the page -------------------------------------------------------------------

const SECTIONS = ['counts', 'local', 'sme', 'csr', 'reach', 'young', 'categories', 'capabilities', 'competition', 'spend', 'breakdowns', 'export'] as const;
const SECTION_TITLE = {
  counts: 'stats.counts.heading', local: 'stats.local.heading', sme: 'stats.sme.heading', csr: 'stats.csr.heading', reach: 'stats.reach.heading', young: 'stats.young.heading', categories: 'stats.categories.heading',
  capabilities: 'stats.capabilities.heading', competition: 'stats.competition.heading', spend: 'stats.spend.heading', breakdowns: 'stats.breakdowns.heading', export: 'stats.export.heading',
} as const;

function StatsBody({ ctx, f, names }: { ctx: WebContext; f: Figures; names: Map<string, string> }) {
  const { lang } = ctx;
  const tables = statTables(f, lang, names);
  const who = f.buyer === null ? t(lang, 'stats.buyer.all') : (names.get(f.buyer) ?? t(lang, 'stats.buyer.unnamed', { org: f.buyer }));
  const year = /^(\d{4})/.exec(f.period.label)?.[1] ?? f.period.from.slice(0, 4);
  return (
    <>
      <p class="stats-showing">{t(lang, 'stats.showing', { period: periodText(f.period, lang), buyer: who, previous: periodText(previousPeriod(f.period), lang) })}</p>
      <nav class="stats-contents no-print" aria-labelledby="stats-contents">
        <h2 id="stats-contents" class="stats-contents__heading">{t(lang, 'stats.contents')}</h2>
        <ul>{SECTIONS.map((s) => <li key={s}><a href={`#${s}`}>{t(lang, SECTION_TITLE[s])}</a></li>)}</ul>
      </nav>
      <Figures ctx={ctx} f={f} tables={tables} />
      <Section id="breakdowns" title={t(lang, 'stats.breakdowns.heading')}>
        <p>{t(lang, 'stats.breakdowns.intro')}</p>
        <DefinitionText definition={DEFINITIONS.localShareCount} lang={lang} />
        <TypeChart f={f} tables={tables} lang={lang} />
        {(['cpv-division', 'procedure', 'size', 'buyer'] as const).map((by) => (
          <StatTableView key={by} table={tables.find((x) => x.id === `breakdown-${by}`)!} lang={lang} limit={by === 'buyer' ? 50 : undefined} />
        ))}
      </Section>
      <Section id="export" title={t(lang, 'stats.export.heading')}>
        <p>{t(lang, 'stats.export.intro')}</p>
        <p><a href={`/staff/stats/export.xlsx?${selectionQuery(f.period, f.buyer)}`} download>{t(lang, 'stats.export.xlsx')}</a></p>
        <ul class="stats-exports">
          {tables.map((x) => (
            <li key={x.id}>
              {x.title}:{' '}
              <a href={`/staff/stats/export.csv?${selectionQuery(f.period, f.buyer, { table: x.id })}`} download>{t(lang, 'stats.export.csv')}<span class="visually-hidden"> – {x.title}</span></a>{' · '}
              <a href={`/staff/stats/export.csv?${selectionQuery(f.period, f.buyer, { table: x.id, format: 'rfc4180' })}`} download>{t(lang, 'stats.export.rfc')}<span class="visually-hidden"> – {x.title}</span></a>
            </li>
          ))}
        </ul>
        <p><a href={`/staff/stats/report?${new URLSearchParams({ year, buyer: f.buyer ?? 'all' })}`}>{t(lang, 'stats.report.link', { year })}</a></p>
      </Section>
    </>
  );
}

/** Every figure with its definition, numerator and denominator, the previous period and the unknowns. */
function Figures({ ctx, f, tables, report = false }: { ctx: WebContext; f: Figures; tables: StatTable[]; report?: boolean }) {
  const { lang } = ctx;
  const o = f.overview;
  const n = (v: number) => number(v, lang);
  const csrNames = ['social', 'environmental', 'innovation', 'reserved'] as const;
  const sub = (id: string) => (report ? `report-${id}` : id);
  return (
    <>
      <Section id={sub('counts')} title={t(lang, 'stats.counts.heading')}>
        <p>{t(lang, 'stats.counts.procurements', { n: n(o.procurements.count), direct: n(o.procurements.directAwards), previous: n(o.procurements.previous) })}</p>
        <DefinitionText definition={o.procurements.definition} lang={lang} />
        <p>{t(lang, 'stats.counts.contracts', { n: n(o.contracts.count), previous: n(o.contracts.previous) })}</p>
        <DefinitionText definition={o.contracts.definition} lang={lang} />
      </Section>
      <Section id={sub('local')} title={t(lang, 'stats.local.heading')}>
        <FigureLine lang={lang} name={t(lang, 'stats.local.count')} now={o.localShare.count} previous={o.localShare.previous.count}
          unknown={t(lang, 'stats.unknown.place', { n: n(o.localShare.count.unknown), m: n(o.contracts.count) })} />
        <DefinitionText definition={o.localShare.definition.count} lang={lang} />
        <FigureLine lang={lang} name={t(lang, 'stats.local.value')} now={o.localShare.value} previous={o.localShare.previous.value}
          unknown={t(lang, 'stats.unknown.value', { n: n(o.localShare.value.unknown), m: n(o.contracts.count) })} />
        <p>{kronor(o.localShare.value.numerator, lang)} / {kronor(o.localShare.value.denominator, lang)}</p>
        <DefinitionText definition={o.localShare.definition.value} lang={lang} />
        <DefinitionText definition={o.localShare.definition.levels} lang={lang} />
        <LevelsChart f={f} tables={tables} lang={lang} id={sub('chart-levels')} />
        <h3>{t(lang, 'stats.local.rules')}</h3>
        <p>{t(lang, 'stats.local.rules.intro')}</p>
        <StatTableView table={tables.find((x) => x.id === 'rules')!} lang={lang} />
      </Section>
      <Section id={sub('sme')} title={t(lang, 'stats.sme.heading')}>
        <FigureLine lang={lang} name={t(lang, 'stats.sme.share')} now={o.smeShare} previous={o.smeShare.previous}
          unknown={t(lang, 'stats.unknown.size', { n: n(o.smeShare.unknown), m: n(o.contracts.count) })} />
        <DefinitionText definition={o.smeShare.definition} lang={lang} />
        {report ? <StatTableView table={tables.find((x) => x.id === 'size')!} lang={lang} /> : <SizeChart f={f} tables={tables} lang={lang} />}
      </Section>
      <Section id={sub('csr')} title={t(lang, 'stats.csr.heading')}>
        <DefinitionText definition={o.csrShare.definition} lang={lang} />
        <ul class="stat-list">
          {csrNames.map((k) => (
            <li key={k}>
              <strong>{t(lang, `stats.figure.csr.${k}`)}:</strong> {t(lang, 'stats.csr.share')} {shareText(o.csrShare[k], lang)}
              {' '}({t(lang, 'stats.previous', { value: shareText(o.csrShare.previous[k], lang) })}).{' '}
              {t(lang, 'stats.csr.localWins')}: {shareText(o.csrShare[k].localWins, lang)}.{' '}
              {t(lang, 'stats.unknown.place', { n: n(o.csrShare[k].localWins.unknown), m: n(o.csrShare[k].localWins.denominator + o.csrShare[k].localWins.unknown) })}
            </li>
          ))}
        </ul>
        <p class="stat-figure__unknown">{t(lang, 'stats.unknown.csr')}</p>
      </Section>
      {report ? null : (
        <>
          <Section id="reach" title={t(lang, 'stats.reach.heading')}>
            <FigureLine lang={lang} name={t(lang, 'stats.reach.share')} now={f.reach.reach} previous={f.reach.reach.previous} />
            <p>{t(lang, 'stats.reach.perProcurement', { n: f.reach.reach.alertsPerProcurement === null ? '–' : f.reach.reach.alertsPerProcurement.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 2 }) })}</p>
            <DefinitionText definition={f.reach.reach.definition} lang={lang} />
            <FigureLine lang={lang} name={t(lang, 'stats.conversion.share')} now={f.reach.conversion} />
            <DefinitionText definition={f.reach.conversion.definition} lang={lang} />
          </Section>
          <Section id="young" title={t(lang, 'stats.young.heading')}>
            <FigureLine lang={lang} name={t(lang, 'stats.young.alerts')} now={f.youngFirms.alerts} />
            <FigureLine lang={lang} name={t(lang, 'stats.young.wins')} now={f.youngFirms.wins} unknown={t(lang, 'stats.young.unknown', { n: n(f.youngFirms.wins.unknown) })} />
            <p>{t(lang, 'stats.young.firms', { n: n(f.youngFirms.firms.registered), young: n(f.youngFirms.firms.young), without: n(f.youngFirms.firms.withoutFounded) })}</p>
            <DefinitionText definition={f.youngFirms.definition} lang={lang} />
            <StatTableView table={tables.find((x) => x.id === 'young-firms')!} lang={lang} />
          </Section>
          <Section id="categories" title={t(lang, 'stats.categories.heading')}>
            <p>{t(lang, 'stats.categories.intro')}</p>
            <p class="stat-figure__unknown">{t(lang, 'stats.categories.unknown', { n: n(f.categories.withoutDivision), m: n(f.categories.contracts) })}</p>
            <DefinitionText definition={f.categories.definition} lang={lang} />
            <StatTableView table={tables.find((x) => x.id === 'categories')!} lang={lang} />
          </Section>
          <Section id="capabilities" title={t(lang, 'stats.capabilities.heading')}>
            <p>{t(lang, 'stats.capabilities.firms', { n: n(f.capabilities.localFirms), previous: n(f.capabilities.previousLocalFirms) })}</p>
            <DefinitionText definition={f.capabilities.definition} lang={lang} />
            <StatTableView table={tables.find((x) => x.id === 'capabilities')!} lang={lang} />
          </Section>
          <Section id="competition" title={t(lang, 'stats.competition.heading')}>
            <p>{t(lang, 'stats.unknown.tenders', { n: n(o.competition.unknown), m: n(o.contracts.count) })}</p>
            <DefinitionText definition={o.competition.definition} lang={lang} />
            <StatTableView table={tables.find((x) => x.id === 'competition')!} lang={lang} />
          </Section>
          <Section id="spend" title={t(lang, 'stats.spend.heading')}>
            <DefinitionText definition={DEFINITIONS.spend} lang={lang} />
            {f.spend ? (
              <>
                <FigureLine lang={lang} name={t(lang, 'stats.spend.share')} now={f.spend}
                  unknown={t(lang, 'stats.unknown.spend', { amount: kronor(f.spend.unknown, lang), total: kronor(f.spend.total, lang) })} />
                <StatTableView table={tables.find((x) => x.id === 'spend')!} lang={lang} />
              </>
            ) : <p>{t(lang, 'stats.spend.none')}</p>}
          </Section>
        </>
      )}
      {report ? <StatTableView table={tables.find((x) => x.id === 'figures')!} lang={lang} /> : null}
    </>
  );
}

// --- the yearly report ----------------------------------------------------------

function ReportForm({ ctx, year, buyer, errors = {} }: { ctx: WebContext; year: string; buyer: string; errors?: FormErrors }) {
  const { lang } = ctx;
  return (
    <form method="get" action="/staff/stats/report" class="filter-form no-print">
      <TextField name="year" label={t(lang, 'stats.report.form.year')} value={year} error={errors.year} inputMode="numeric" />
      <TextField name="buyer" label={t(lang, 'stats.form.buyer')} hint={t(lang, 'stats.report.form.buyer.hint')} value={buyer} error={errors.buyer} />
      <Button>{t(lang, 'stats.form.submit')}</Button>
    </form>
  );
}

function Report({ ctx, f, year, buyer, who, names, years }: {
  ctx: WebContext; f: Figures; year: string; buyer: string | null; who: string; names: Map<string, string>; years: TrendYear[];
}) {
  const { lang } = ctx;
  const o = f.overview;
  const tables = statTables(f, lang, names);
  const trend = trendTable(years, lang);
  const n = (v: number) => number(v, lang);
  const unconfirmed = o.localShare.rules.name ?? 0;
  return (
    <article class="report">
      <p class="no-print"><a href={`/staff/stats?${selectionQuery(f.period, buyer)}`}>{t(lang, 'stats.report.back')}</a></p>
      <h1>{t(lang, 'stats.report.title', { year })}</h1>
      <p class="lead">{t(lang, 'stats.report.intro', { buyer: who })}</p>
      <p class="no-print">{t(lang, 'stats.report.print')}</p>
      <ReportForm ctx={ctx} year={year} buyer={buyer ?? 'all'} />
      <Section id="definitions" title={t(lang, 'stats.report.definitions')}>
        <dl class="facts">
          {(['procurements', 'contracts', 'localShareCount', 'localShareValue', 'levels', 'smeShare', 'csrShare', 'competition'] as const).map((k) => (
            <div class="facts__row" key={k}><dt>{t(lang, `stats.report.def.${k}`)}</dt><dd>{DEFINITIONS[k][lang]}</dd></div>
          ))}
        </dl>
      </Section>
      <div class="report__figures">
        <h2 class="report__break">{t(lang, 'stats.report.figures', { year })}</h2>
        <Figures ctx={ctx} f={f} tables={tables} report />
      </div>
      <Section id="trends" title={t(lang, 'stats.report.trends')}>
        {years.length > 1 ? <TrendChart table={trend} lang={lang} /> : (
          <>
            <p>{t(lang, 'stats.report.trends.none')}</p>
            <StatTableView table={trend} lang={lang} />
          </>
        )}
      </Section>
      <Section id="unknowns" title={t(lang, 'stats.report.unknowns')}>
        <ul class="stat-list">
          <li>{t(lang, 'stats.report.unknowns.place', { n: n(o.localShare.count.unknown), m: n(o.contracts.count) })}</li>
          <li>{t(lang, 'stats.report.unknowns.value', { n: n(o.localShare.value.unknown), m: n(o.contracts.count) })}</li>
          <li>{t(lang, 'stats.report.unknowns.size', { n: n(o.smeShare.unknown), m: n(o.contracts.count) })}</li>
          <li>{t(lang, 'stats.report.unknowns.csr')}</li>
          {unconfirmed ? <li>{t(lang, 'stats.report.unknowns.name', { n: n(unconfirmed) })}</li> : null}
        </ul>
        <p class="meta">{t(lang, 'stats.report.generated', { date: formatDate(new Date().toISOString(), lang) })}</p>
      </Section>
    </article>
  );
}
