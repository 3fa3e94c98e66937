/** @jsxRuntime automatic @jsxImportSource preact */
// The start page: search over every notice, as a GET form, so that every
// search (words, filters, sort, page) is a URL that can be shared. The same
// schema as GET /api/search validates it; the SearchService answers it.
import type { z } from 'zod';
import { divisionLabel } from '../../domain/cpv.ts';
import { formatDateTime, formatMoney, messages, t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import { NOTICE_KINDS } from '../../notices/notice.schema.ts';
import { searchQuerySchema } from '../../search/search.schema.ts';
import {
  CSR_FLAGS, LOCAL_REGION, RESULT_CAP, SEARCH_SORTS, SEARCH_STATUSES,
  type FacetName, type FacetValue, type SearchQuery, type SearchResult,
} from '../../search/search.types.ts';
import { Button, ChoiceGroup, ErrorSummary, formErrors, SelectField, TextField, type FormErrors, type Option } from '../components/form.tsx';
import type { WebContext } from '../context.ts';
import { Marked } from './marked.tsx';

export const PAGE_SIZE = 20;

/** The parameters the page's form sends (pageSize is fixed). */
const PARAMS = ['q', 'status', 'kind', 'procedure', 'cpv', 'buyer', 'region', 'csr', 'deadlineFrom', 'deadlineTo', 'valueMin', 'valueMax', 'sort', 'page'] as const;
type Raw = Record<string, string[]>;

/** The request's own parameters, empty ones dropped (a GET form sends every field), unknown ones ignored. */
export function rawParams(query: Record<string, unknown>): Raw {
  const raw: Raw = {};
  for (const key of PARAMS) {
    const value = query[key];
    const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => String(v).trim()).filter(Boolean);
    if (values.length) raw[key] = values;
  }
  return raw;
}

/** The address of this search with some parameters replaced (`page` dropped when it is 1). */
export function searchHref(raw: Raw, changes: Record<string, string | null> = {}): string {
  const params = new URLSearchParams();
  for (const key of PARAMS) {
    const values = key in changes ? (changes[key] === null ? [] : [changes[key]!]) : raw[key] ?? [];
    if (key === 'page' && values[0] === '1') continue;
    for (const v of values) params.append(key, v);
  }
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

export type SearchParse = { query: SearchQuery; error: null } | { query: null; error: z.ZodError };

/** Without words the newest come first, unless the reader chose another order. */
export function parseSearch(raw: Raw): SearchParse {
  const input: Record<string, string | string[]> = { ...raw, pageSize: String(PAGE_SIZE) };
  if (!raw.sort && !raw.q) input.sort = 'newest';
  for (const key of ['q', 'deadlineFrom', 'deadlineTo', 'valueMin', 'valueMax', 'sort', 'page']) {
    if (Array.isArray(input[key])) input[key] = (input[key] as string[])[0];
  }
  const parsed = searchQuerySchema.safeParse(input);
  return parsed.success ? { query: parsed.data, error: null } : { query: null, error: parsed.error };
}

/** A message for a code when the catalogue has one (procedures, kinds), else the code itself. */
export function codeLabel(lang: Lang, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return Object.hasOwn(messages[lang], key) ? t(lang, key as MessageKey) : code;
}

function labels(lang: Lang): Record<string, string> {
  return {
    q: t(lang, 'pub.search.q'), status: t(lang, 'pub.search.facet.status'), kind: t(lang, 'pub.search.facet.kind'),
    procedure: t(lang, 'pub.search.facet.procedure'), cpv: t(lang, 'pub.search.facet.cpv'), buyer: t(lang, 'pub.search.facet.buyer'),
    region: t(lang, 'pub.search.facet.region'), csr: t(lang, 'pub.search.facet.csr'),
    deadlineFrom: t(lang, 'pub.search.deadlineFrom'), deadlineTo: t(lang, 'pub.search.deadlineTo'),
    valueMin: t(lang, 'pub.search.valueMin'), valueMax: t(lang, 'pub.search.valueMax'), sort: t(lang, 'pub.search.sort'), page: t(lang, 'pub.search.page'),
  };
}

/** Zod's issues in words; amounts, dates and their order get their own explanation. */
export function searchErrors(error: z.ZodError, lang: Lang): FormErrors {
  const names = labels(lang);
  const own: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field in own) continue;
    const label = names[field] ?? field;
    if (field === 'valueMax' && issue.message === 'less than valueMin') own[field] = t(lang, 'pub.search.valueOrder');
    else if (field === 'deadlineTo' && issue.message === 'before deadlineFrom') own[field] = t(lang, 'pub.search.dateOrder');
    else if (field === 'valueMin' || field === 'valueMax') own[field] = t(lang, 'pub.search.valueInvalid', { label });
    else if (field === 'deadlineFrom' || field === 'deadlineTo') own[field] = t(lang, 'pub.search.dateInvalid', { label });
  }
  return formErrors(error, lang, names, own);
}

/** One formatter per language: building one costs far more than using it (toLocaleString builds one per call). */
const NUMBERS = { sv: new Intl.NumberFormat('sv-SE'), en: new Intl.NumberFormat('en-GB') };
const number = (n: number, lang: Lang) => NUMBERS[lang].format(n);

/** The options of one filter: values with their counts, and every chosen value even when it counts none now. */
function facetOptions(lang: Lang, facet: FacetValue[], chosen: string[], fixed: readonly string[] | null, label: (value: string, given?: string) => string, max = 10): Option[] {
  const counts = new Map(facet.map((f) => [f.value, f]));
  const values = fixed ? [...fixed] : facet.slice(0, max).map((f) => f.value);
  for (const c of chosen) if (!values.includes(c)) values.push(c);
  return values.map((value) => {
    const f = counts.get(value);
    const text = label(value, f?.label);
    return { value, label: t(lang, 'pub.search.facet.count', { label: text, count: number(f?.count ?? 0, lang) }) };
  });
}

export function SearchPage({ ctx, raw, result, errors }: {
  ctx: WebContext; raw: Raw; result: SearchResult | null; errors: FormErrors;
}) {
  const { lang } = ctx;
  const facets = result?.facets;
  const chosen = (key: string) => raw[key] ?? [];
  const filtered = Object.keys(raw).some((k) => k !== 'sort' && k !== 'page');
  const sort = raw.sort?.[0] ?? (raw.q ? 'relevance' : 'newest');
  const group = (name: FacetName, fixed: readonly string[] | null, label: (value: string, given?: string) => string, max?: number) => {
    const options = facetOptions(lang, facets?.[name] ?? [], chosen(name), fixed, label, max);
    if (!options.length) return null;
    return <ChoiceGroup name={name} legend={t(lang, `pub.search.facet.${name}`)} options={options} checked={chosen(name)} error={errors[name]} />;
  };
  const regionFacet = (facets?.region ?? []).filter((f) => /^\d{4}$/.test(f.value));
  // With no notices at all there is nothing to filter.
  const empty = !!result && result.total === 0 && !filtered;
  return (
    <>
      <h1>{t(lang, 'pub.search.heading')}</h1>
      <p class="lead">{t(lang, 'pub.search.intro')}</p>
      <form method="get" action="/" role="search" class="search-form" aria-label={t(lang, 'pub.search.heading')}>
        <ErrorSummary ctx={ctx} errors={errors} />
        <div class="search-bar">
          <TextField name="q" type="search" label={t(lang, 'pub.search.q')} hint={t(lang, 'pub.search.qHint')} value={raw.q?.[0] ?? ''} error={errors.q} maxLength={200} />
          <SelectField name="sort" label={t(lang, 'pub.search.sort')} value={sort} error={errors.sort}
            options={SEARCH_SORTS.map((s) => ({ value: s, label: t(lang, `pub.search.sort.${s}`) }))} />
          <div class="search-bar__submit"><Button>{t(lang, 'pub.search.submit')}</Button></div>
        </div>
        {empty ? null : <p class="search-skip"><a href="#results-heading">{t(lang, 'pub.search.toResults')}</a></p>}
        <div class={empty ? 'search-layout search-layout--single' : 'search-layout'}>
          {empty ? null : <section class="search-filters" aria-labelledby="filters-heading">
            <h2 id="filters-heading">{t(lang, 'pub.search.filters')}</h2>
            {group('status', SEARCH_STATUSES, (v) => t(lang, `pub.status.${v as 'open'}`))}
            {group('csr', CSR_FLAGS, (v) => t(lang, `pub.csr.${v as 'social'}`))}
            {group('cpv', null, (v, given) => `${divisionLabel(v, lang) ?? given ?? v}`)}
            {group('kind', NOTICE_KINDS, (v) => t(lang, `pub.kind.${v as 'tender'}`))}
            {group('procedure', null, (v) => codeLabel(lang, 'pub.procedure', v))}
            {(() => {
              const options = facetOptions(lang, regionFacet, chosen('region').filter((r) => r !== LOCAL_REGION), null, (v, given) => given ?? v, 8);
              const local = { value: LOCAL_REGION, label: t(lang, 'pub.search.region.local') };
              return <ChoiceGroup name="region" legend={t(lang, 'pub.search.facet.region')} options={[local, ...options]} checked={chosen('region')} error={errors.region} />;
            })()}
            {group('buyer', null, (v, given) => given ?? v, 8)}
            <TextField name="deadlineFrom" type="date" label={t(lang, 'pub.search.deadlineFrom')} value={raw.deadlineFrom?.[0]} error={errors.deadlineFrom} />
            <TextField name="deadlineTo" type="date" label={t(lang, 'pub.search.deadlineTo')} value={raw.deadlineTo?.[0]} error={errors.deadlineTo} />
            <TextField name="valueMin" inputMode="numeric" label={t(lang, 'pub.search.valueMin')} value={raw.valueMin?.[0]} error={errors.valueMin} />
            <TextField name="valueMax" inputMode="numeric" label={t(lang, 'pub.search.valueMax')} value={raw.valueMax?.[0]} error={errors.valueMax} />
            <Button variant="secondary">{t(lang, 'pub.search.applyFilters')}</Button>
            {filtered ? <p><a href="/">{t(lang, 'pub.search.clear')}</a></p> : null}
          </section>}
          <section class="search-results" aria-labelledby="results-heading">
            <h2 id="results-heading">{t(lang, 'pub.search.results')}</h2>
            <Results ctx={ctx} raw={raw} result={result} filtered={filtered} />
          </section>
        </div>
      </form>
    </>
  );
}

function Results({ ctx, raw, result, filtered }: { ctx: WebContext; raw: Raw; result: SearchResult | null; filtered: boolean }) {
  const { lang } = ctx;
  if (!result) return <p>{t(lang, 'pub.search.invalid')}</p>;
  // Nothing asked and nothing found: there are no notices at all.
  if (result.total === 0 && !filtered) {
    return (
      <div class="empty-state">
        <h3>{t(lang, 'pub.search.empty.title')}</h3>
        <p>{t(lang, 'pub.search.empty.text')}</p>
      </div>
    );
  }
  if (result.total === 0) {
    return (
      <div class="empty-state" role="status">
        <h3>{t(lang, 'pub.search.none.title')}</h3>
        <p>{t(lang, 'pub.search.none.text')}</p>
        <p><a href="/">{t(lang, 'pub.search.clear')}</a></p>
      </div>
    );
  }
  const from = (result.page - 1) * result.pageSize + 1;
  const to = from + result.hits.length - 1;
  const count = !result.totalExact ? t(lang, 'pub.search.count.capped', { n: number(RESULT_CAP, lang) })
    : result.total === 1 ? t(lang, 'pub.search.count.one') : t(lang, 'pub.search.count.many', { n: number(result.total, lang) });
  return (
    <>
      <p class="search-count" role="status">
        <strong>{count}</strong> {t(lang, 'pub.search.showing', { from: number(from, lang), to: number(to, lang) })}
      </p>
      <ol class="search-hits" start={from}>
        {result.hits.map((hit) => (
          <li key={hit.id} class="search-hit">
            <h3 class="search-hit__title"><a href={`/notices/${encodeURIComponent(hit.id)}`}><Marked html={hit.titleHtml} /></a></h3>
            <p class="search-hit__meta">
              <StatusBadge lang={lang} status={hit.status} />{' '}
              <span>{t(lang, 'pub.hit.buyer')}: {hit.buyer.name}</span>
              {' · '}
              <span>{t(lang, 'pub.hit.deadline')}: {hit.deadline ? formatDateTime(hit.deadline, lang) : t(lang, 'notice.noDeadline')}</span>
              {hit.estimatedValue ? <>{' · '}<span>{t(lang, 'pub.hit.value')}: {formatMoney(hit.estimatedValue, lang)}</span></> : null}
              {' · '}
              <span>{codeLabel(lang, 'pub.kind', hit.kind)}</span>
            </p>
            {hit.snippet ? <p class="search-hit__snippet"><Marked html={hit.snippet} /></p> : null}
          </li>
        ))}
      </ol>
      <Pagination lang={lang} raw={raw} result={result} />
    </>
  );
}

export function StatusBadge({ lang, status }: { lang: Lang; status: 'open' | 'closed' | 'awarded' | 'withdrawn' }) {
  const variant = status === 'open' ? 'success' : status === 'withdrawn' ? 'error' : status === 'awarded' ? 'info' : 'default';
  return <span class={`badge badge--${variant}`}>{t(lang, `pub.status.${status}`)}</span>;
}

function Pagination({ lang, raw, result }: { lang: Lang; raw: Raw; result: SearchResult }) {
  const pages = Math.max(1, Math.ceil(Math.min(result.total, RESULT_CAP) / result.pageSize));
  if (pages <= 1) return null;
  const current = result.page;
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
  const items: (number | 'gap')[] = [];
  shown.forEach((p, i) => {
    if (i > 0 && p - shown[i - 1] > 1) items.push('gap');
    items.push(p);
  });
  const href = (p: number) => searchHref(raw, { page: String(p) });
  return (
    <nav class="pagination" aria-label={t(lang, 'pub.search.pages')}>
      <ul>
        {current > 1 ? <li><a href={href(current - 1)} rel="prev">{t(lang, 'pub.search.previous')}</a></li> : null}
        {items.map((p, i) => p === 'gap'
          ? <li key={`gap${i}`} aria-hidden="true">…</li>
          : (
            <li key={p}>
              <a href={href(p)} aria-current={p === current ? 'page' : undefined} aria-label={t(lang, 'pub.search.pageN', { n: String(p) })}>{p}</a>
            </li>
          ))}
        {current < pages ? <li><a href={href(current + 1)} rel="next">{t(lang, 'pub.search.next')}</a></li> : null}
      </ul>
    </nav>
  );
}
