// The Meilisearch backend (MEILI_URL, MEILI_KEY), through the official client.
// Settings are applied before any document is written; every write is a task
// that is awaited and whose status is checked (a failed task is an error);
// documents go in batches with an explicit primary key.
//
// The pure parts (settings, documents, filter expressions, query text) are
// exported for unit tests: no Meilisearch server is needed to check them.
//
// Open and closed are decided when asked and the local area is configuration,
// so neither can be a ranking rule: they are filters. Without words the order
// (open first, local area before Sweden before abroad, newest) is built from
// filtered segments: one round counts them, a second fetches the page's slices.
import {
  Meilisearch, MeilisearchApiError, MeilisearchRequestError,
  type EnqueuedTaskPromise, type MultiSearchQuery, type SearchResponse, type Settings, type Task,
} from 'meilisearch';
import {
  DEFAULT_RULES, RESULT_CAP, emptyFacets, openSince, regionCodes, statusOf, trimFacet,
  type DocumentSource, type FacetName, type Facets, type SearchDocument, type SearchHit,
  type SearchIndex, type SearchQuery, type SearchResult, type SearchRules, type SearchStatus,
} from './search.types.ts';
import {
  ELLIPSIS, MARK_END, MARK_START, SNIPPET_WORDS, analysedTokens, fold, hasPositive, leadingWords, markedToHtml, parseTextQuery,
  type TextQuery,
} from './text.ts';

export const PRIMARY_KEY = 'id';
/** Documents per write task. */
export const BATCH_SIZE = 1000;

/** Nullable fields of a SearchDocument that Meilisearch stores as absent instead. */
type Absent = 'buyerOrgNumber' | 'procedure' | 'valueSek';

export type MeiliDocument = Omit<SearchDocument, Absent> & {
  buyerOrgNumber?: string;
  procedure?: string;
  valueSek?: number;
  /** Milliseconds since 1970; absent without a deadline (sorts last, `NOT EXISTS` finds it). */
  deadlineTs?: number;
  publishedTs: number;
  /** The analysed tokens of the title and description (compound parts, dictionary forms): Meilisearch has no Swedish compounds of its own. */
  tokens: string;
  /** 2 the local area, 1 elsewhere in Sweden or unknown, 0 abroad: the ranking rule after relevance (set when indexed). */
  nearness: number;
};

/** Pure: the document Meilisearch stores. Absent rather than null, so filters and sorts treat it as missing. */
export function toMeiliDocument(doc: SearchDocument, localArea: readonly string[] = DEFAULT_RULES.localArea): MeiliDocument {
  const { buyerOrgNumber, procedure, valueSek, ...rest } = doc;
  return {
    ...rest,
    ...(buyerOrgNumber ? { buyerOrgNumber } : {}),
    ...(procedure ? { procedure } : {}),
    ...(valueSek !== null ? { valueSek } : {}),
    ...(doc.deadline ? { deadlineTs: Date.parse(doc.deadline) } : {}),
    publishedTs: Date.parse(doc.publishedAt),
    tokens: analysedTokens(fold(`${doc.title} ${doc.description}`)).join(' '),
    nearness: doc.regions.some((r) => localArea.includes(r)) ? 2 : doc.regions.length === 0 || doc.regions.includes('SE') ? 1 : 0,
  };
}

/** Facet name in the API → attribute in Meilisearch (status is counted separately: it depends on the time). */
export const FACET_ATTRIBUTES: Record<Exclude<FacetName, 'status'>, keyof MeiliDocument> = {
  kind: 'kind',
  procedure: 'procedure',
  cpv: 'cpvDivisions',
  buyer: 'buyerId',
  region: 'regions',
  csr: 'csr',
};

/** Pure: the index settings, applied before any document. */
export function meiliSettings(): Settings {
  return {
    // In relevance order: a word in the title counts most.
    searchableAttributes: ['title', 'tokens', 'labels', 'description', 'buyerName', 'codes', 'broaderLabels'],
    filterableAttributes: [
      'cpv', 'cpvDivisions', 'buyerId', 'buyerOrgNumber', 'regions', 'procedure', 'kind', 'awarded', 'invites',
      'deadlineTs', 'publishedTs', 'valueSek', 'csr',
    ],
    sortableAttributes: ['publishedTs', 'deadlineTs'],
    // `sort` first: "newest" and "soonest deadline" order by date alone, as FTS5 does; ties of relevance
    // go to the local area before Sweden before abroad, then the newest (open, which moves with time, cannot be a rule).
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'nearness:desc', 'publishedTs:desc'],
    localizedAttributes: [{ attributePatterns: ['title', 'description', 'buyerName'], locales: ['swe'] }],
    // CPV codes, procedure and source ids: a typo in a code is another code.
    typoTolerance: { enabled: true, disableOnAttributes: ['codes'], disableOnNumbers: true },
    pagination: { maxTotalHits: RESULT_CAP },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
  };
}

/** A string literal in a filter expression: quotes and backslashes escaped. */
export function filterString(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function filterNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

function anyOf(attribute: string, values: readonly string[]): string {
  return values.length === 1 ? `${attribute} = ${filterString(values[0])}` : `${attribute} IN [${values.map(filterString).join(', ')}]`;
}

/** statusOf as a filter. A document indexed before `invites` existed is not open until reindexed. */
export function statusFilter(status: SearchStatus, now: Date, rules: SearchRules): string {
  if (status === 'awarded') return 'awarded = true';
  const since = filterNumber(Date.parse(openSince(now, rules.alertMaxAgeDays)));
  const open = `(invites = true AND (deadlineTs > ${filterNumber(now.getTime())} OR (deadlineTs NOT EXISTS AND publishedTs >= ${since})))`;
  return status === 'open' ? open : `(awarded = false AND NOT ${open})`;
}

/** Pure: Brygga's filters as one Meilisearch filter expression (AND of clauses), or undefined. */
export function meiliFilter(query: SearchQuery, now: Date, rules: SearchRules, { withStatus = true } = {}): string | undefined {
  const clauses: string[] = [];
  if (query.kind.length) clauses.push(anyOf('kind', query.kind));
  if (query.procedure.length) clauses.push(anyOf('procedure', query.procedure));
  if (query.buyer.length) {
    const orgs = query.buyer.filter((b) => /^\d{10}$/.test(b));
    const ids = query.buyer.filter((b) => !/^\d{10}$/.test(b));
    const parts = [...(ids.length ? [anyOf('buyerId', ids)] : []), ...(orgs.length ? [anyOf('buyerOrgNumber', orgs)] : [])];
    clauses.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
  }
  if (query.cpv.length) clauses.push(anyOf('cpv', query.cpv));
  if (query.region.length) clauses.push(anyOf('regions', regionCodes(query.region, rules.localArea)));
  for (const flag of query.csr) clauses.push(anyOf('csr', [flag]));
  const statuses = [...new Set(query.status)];
  if (withStatus && statuses.length && statuses.length < 3) {
    clauses.push(statuses.length === 1 ? statusFilter(statuses[0], now, rules) : `(${statuses.map((s) => statusFilter(s, now, rules)).join(' OR ')})`);
  }
  const range = (attribute: string, from: number | null, to: number | null) => {
    if (from !== null) clauses.push(`${attribute} >= ${filterNumber(from)}`);
    if (to !== null) clauses.push(`${attribute} <= ${filterNumber(to)}`);
  };
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  range('deadlineTs', ms(query.deadlineFrom), ms(query.deadlineTo));
  range('publishedTs', ms(query.publishedFrom), ms(query.publishedTo));
  range('valueSek', query.valueMin, query.valueMax);
  return clauses.length ? clauses.join(' AND ') : undefined;
}

/**
 * Pure: the words of `q` in Meilisearch's query syntax, built only from the
 * folded letters and digits parseTextQuery keeps: each term as its own token
 * (which the document's `tokens` carry for every word and compound part;
 * Meilisearch adds typo tolerance, and takes the last word as a prefix too),
 * phrases in quotes, exclusions with a minus.
 */
export function meiliQueryText(text: TextQuery): string {
  return [
    ...text.phrases.map((p) => `"${p.join(' ')}"`),
    ...text.exclude.map((t) => `-${t.tokens[0]}`),
    ...text.excludePhrases.map((p) => `-"${p.join(' ')}"`),
    ...text.terms.map((t) => t.tokens[0]),
  ].join(' ');
}

const RETRIEVED: (keyof MeiliDocument)[] = [
  'id', 'title', 'description', 'buyerName', 'buyerId', 'buyerOrgNumber', 'kind', 'procedure', 'mainCpv', 'awarded',
  'invites', 'deadline', 'publishedAt', 'estimatedValue',
];

/** What a page of hits asks for: the fields shown, marked words and the snippet. */
const HIT_OPTIONS = {
  attributesToRetrieve: RETRIEVED,
  attributesToHighlight: ['title', 'description'],
  attributesToCrop: ['description'], cropLength: SNIPPET_WORDS, cropMarker: ELLIPSIS,
  highlightPreTag: MARK_START, highlightPostTag: MARK_END,
} satisfies Partial<MultiSearchQuery>;

const and = (base: string | undefined, clause: string) => (base ? `(${base}) AND ${clause}` : clause);

/**
 * Pure: the order without words as filters, first to last: open notices in
 * the local area, elsewhere in Sweden (or a place unknown), abroad; then the
 * rest in the same order. Each is sorted newest first. Null when the query
 * has words or asks for a sort by date.
 */
export function orderSegments(query: SearchQuery, now: Date, rules: SearchRules): string[] | null {
  if (query.sort !== 'relevance' || hasPositive(parseTextQuery(query.q))) return null;
  const open = statusFilter('open', now, rules);
  const local = anyOf('regions', rules.localArea);
  const sweden = '(regions = "SE" OR regions IS EMPTY)';
  const places = [local, `NOT ${local} AND ${sweden}`, `NOT ${local} AND NOT ${sweden}`];
  return [open, `NOT ${open}`].flatMap((o) => places.map((p) => `${o} AND ${p}`));
}

/**
 * Pure: the multi-search: the page with facets, one count per status (it
 * depends on the time) and, without words, one count per segment of the
 * order (then the page comes from meiliPageQueries).
 */
export function meiliSearchQueries(indexUid: string, query: SearchQuery, now: Date, rules: SearchRules): MultiSearchQuery[] {
  const text = parseTextQuery(query.q);
  const q = meiliQueryText(text);
  const filter = meiliFilter(query, now, rules);
  const segments = orderSegments(query, now, rules);
  const sort =
    query.sort === 'deadline' ? ['deadlineTs:asc', 'publishedTs:desc']
      : query.sort === 'newest' ? ['publishedTs:desc']
        : undefined;
  const main: MultiSearchQuery = {
    indexUid, q, filter, sort, matchingStrategy: 'all', facets: Object.values(FACET_ATTRIBUTES),
    ...(segments ? { page: 1, hitsPerPage: 0 } : { page: query.page, hitsPerPage: query.pageSize, ...HIT_OPTIONS }),
  };
  const count = (clause: string): MultiSearchQuery => ({ indexUid, q, matchingStrategy: 'all', page: 1, hitsPerPage: 0, filter: and(filter, clause) });
  const statuses = (['open', 'closed', 'awarded'] as const).map((status) => count(statusFilter(status, now, rules)));
  return [main, ...statuses, ...(segments ?? []).map(count)];
}

/** Pure: where the page lies in the segments of the order, given how many each has. */
export function segmentSlices(counts: number[], offset: number, limit: number): { segment: number; offset: number; limit: number }[] {
  const slices: { segment: number; offset: number; limit: number }[] = [];
  let start = 0;
  for (const [segment, count] of counts.entries()) {
    const from = Math.max(offset, start);
    const to = Math.min(offset + limit, start + count);
    if (from < to) slices.push({ segment, offset: from - start, limit: to - from });
    start += count;
  }
  return slices;
}

/** Pure: the second round without words: the page's slices of the segments, newest first in each. */
export function meiliPageQueries(indexUid: string, query: SearchQuery, now: Date, rules: SearchRules, counts: number[]): MultiSearchQuery[] {
  const segments = orderSegments(query, now, rules) ?? [];
  const q = meiliQueryText(parseTextQuery(query.q)); // exclusions only, if any
  const filter = meiliFilter(query, now, rules);
  return segmentSlices(counts, (query.page - 1) * query.pageSize, query.pageSize).map(({ segment, offset, limit }) => ({
    indexUid, q, matchingStrategy: 'all', filter: and(filter, segments[segment]), sort: ['publishedTs:desc'], offset, limit, ...HIT_OPTIONS,
  }));
}

type Formatted = Partial<Record<'title' | 'description', string>>;

/** Pure: a Meilisearch hit as Brygga's hit. */
export function presentMeiliHit(hit: Partial<MeiliDocument> & { _formatted?: Formatted }, now: Date, rules: SearchRules): SearchHit {
  const doc = hit as MeiliDocument;
  return {
    id: doc.id,
    title: doc.title,
    titleHtml: markedToHtml(hit._formatted?.title ?? doc.title),
    snippet: markedToHtml(hit._formatted?.description ?? leadingWords(doc.description ?? '')),
    buyer: { id: doc.buyerId, name: doc.buyerName, orgNumber: doc.buyerOrgNumber ?? null },
    kind: doc.kind,
    status: statusOf({ awarded: doc.awarded, invites: doc.invites ?? false, deadline: doc.deadline ?? null, publishedAt: doc.publishedAt }, now, rules.alertMaxAgeDays),
    procedure: doc.procedure ?? null,
    cpv: doc.mainCpv,
    deadline: doc.deadline ?? null,
    publishedAt: doc.publishedAt,
    estimatedValue: doc.estimatedValue ?? null,
  };
}

/** Pure: the responses of meiliSearchQueries as a SearchResult; without words the hits are the page's (meiliPageQueries). */
export function presentMeiliResult(query: SearchQuery, responses: SearchResponse[], now: Date, rules: SearchRules, page?: SearchResponse[]): SearchResult {
  const [main, ...counts] = responses;
  const facets: Facets = emptyFacets();
  for (const [name, attribute] of Object.entries(FACET_ATTRIBUTES) as [Exclude<FacetName, 'status'>, string][]) {
    const distribution = main.facetDistribution?.[attribute] ?? {};
    facets[name] = trimFacet(Object.entries(distribution).map(([value, count]) => ({ value, count })));
  }
  facets.status = trimFacet((['open', 'closed', 'awarded'] as const).map((value, i) => ({ value, count: counts[i]?.totalHits ?? 0 })));
  const total = main.totalHits ?? main.estimatedTotalHits ?? 0;
  return {
    hits: (page ?? [main]).flatMap((r) => r.hits).map((h) => presentMeiliHit(h as Partial<MeiliDocument> & { _formatted?: Formatted }, now, rules)),
    total,
    totalExact: total < RESULT_CAP,
    page: query.page,
    pageSize: query.pageSize,
    facets,
    backend: 'meilisearch',
  };
}

/** A task Meilisearch processed but did not carry out. */
export class MeiliTaskError extends Error {
  override name = 'MeiliTaskError';
  constructor(
    readonly what: string,
    readonly task: Pick<Task, 'uid' | 'status' | 'type' | 'error'>,
  ) {
    super(`Meilisearch task ${task.uid} (${what}) ${task.status}${task.error ? `: ${task.error.code}: ${task.error.message}` : ''}`);
  }
}

/** Meilisearch could not be reached (refused, reset, timed out, or a gateway in front of it answered 502–504). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError) return true;
  if (error instanceof MeilisearchApiError) return [502, 503, 504].includes(error.response.status);
  return false;
}

export type MeiliOptions = {
  url: string;
  key: string | null;
  indexUid: string;
  /** Per HTTP request. */
  timeoutMs?: number;
  /** Longest wait for one write task. */
  taskTimeoutMs?: number;
  /** What `local` and `open` mean (configuration). */
  rules?: SearchRules;
};

export class MeiliSearchIndex implements SearchIndex {
  readonly name = 'meilisearch' as const;
  readonly client: Meilisearch;
  readonly indexUid: string;
  private readonly taskTimeoutMs: number;
  private readonly rules: SearchRules;
  private ready: Promise<void> | null = null;

  constructor(options: MeiliOptions) {
    this.client = new Meilisearch({ host: options.url, apiKey: options.key ?? undefined, timeout: options.timeoutMs ?? 3000 });
    this.indexUid = options.indexUid;
    this.taskTimeoutMs = options.taskTimeoutMs ?? 120_000;
    this.rules = options.rules ?? DEFAULT_RULES;
  }

  /** Awaits a task and checks how it ended. */
  private async settle(task: EnqueuedTaskPromise, what: string, { allow = [] as string[] } = {}): Promise<Task> {
    const done = await task.waitTask({ timeout: this.taskTimeoutMs, interval: 50 });
    if (done.status === 'succeeded') return done;
    if (done.status === 'failed' && done.error && allow.includes(done.error.code)) return done;
    throw new MeiliTaskError(what, done);
  }

  /** Creates the index (primary key `id`) when missing and applies the settings. */
  private async prepare(uid: string): Promise<void> {
    await this.settle(this.client.createIndex(uid, { primaryKey: PRIMARY_KEY }), `create index ${uid}`, { allow: ['index_already_exists'] });
    const info = await this.client.index(uid).getRawInfo();
    if (info.primaryKey !== PRIMARY_KEY) await this.settle(this.client.updateIndex(uid, { primaryKey: PRIMARY_KEY }), `primary key of ${uid}`);
    await this.settle(this.client.index(uid).updateSettings(meiliSettings()), `settings of ${uid}`);
  }

  /** Settings first: every write waits for them; a failure is retried on the next call. */
  init(): Promise<void> {
    this.ready ??= this.prepare(this.indexUid).catch((error) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    await this.init();
    await this.addTo(this.indexUid, docs);
  }

  private async addTo(uid: string, docs: SearchDocument[]): Promise<void> {
    const index = this.client.index<MeiliDocument>(uid);
    for (let i = 0; i < docs.length; i += BATCH_SIZE) {
      const batch = docs.slice(i, i + BATCH_SIZE).map((d) => toMeiliDocument(d, this.rules.localArea));
      await this.settle(index.addDocuments(batch, { primaryKey: PRIMARY_KEY }), `add ${batch.length} documents to ${uid}`);
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.init();
    const index = this.client.index(this.indexUid);
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      await this.settle(index.deleteDocuments(ids.slice(i, i + BATCH_SIZE)), `delete documents from ${this.indexUid}`);
    }
  }

  async search(query: SearchQuery, now = new Date()): Promise<SearchResult> {
    const { results } = await this.client.multiSearch({ queries: meiliSearchQueries(this.indexUid, query, now, this.rules) });
    if (!orderSegments(query, now, this.rules)) return presentMeiliResult(query, results, now, this.rules);
    const counts = results.slice(4).map((r) => r.totalHits ?? 0);
    const slices = meiliPageQueries(this.indexUid, query, now, this.rules, counts);
    const page = slices.length ? (await this.client.multiSearch({ queries: slices })).results : [];
    return presentMeiliResult(query, results, now, this.rules, page);
  }

  /** Builds a fresh index beside the live one and swaps them, so searches never see a half-built index. */
  async rebuild(source: DocumentSource, onProgress?: (done: number) => void): Promise<number> {
    await this.init();
    const next = `${this.indexUid}_rebuild`;
    await this.settle(this.client.deleteIndex(next), `delete index ${next}`, { allow: ['index_not_found'] });
    await this.prepare(next);
    let done = 0;
    for await (const batch of source()) {
      await this.addTo(next, batch);
      done += batch.length;
      onProgress?.(done);
    }
    await this.settle(this.client.swapIndexes([{ indexes: [this.indexUid, next], rename: false }]), `swap ${this.indexUid} and ${next}`);
    await this.settle(this.client.deleteIndex(next), `delete index ${next}`);
    return done;
  }

  async count(): Promise<number> {
    await this.init();
    return (await this.client.index(this.indexUid).getStats()).numberOfDocuments;
  }

  /** Deletes the whole index (tests). */
  async drop(): Promise<void> {
    await this.settle(this.client.deleteIndex(this.indexUid), `delete index ${this.indexUid}`, { allow: ['index_not_found'] });
    this.ready = null;
  }

  async close(): Promise<void> {}
}

