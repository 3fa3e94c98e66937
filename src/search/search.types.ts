// The search contract every backend implements: what is indexed (SearchDocument),
// what is asked (SearchQuery) and what comes back (SearchResult). Pure types
// and constants; the FTS5, PostgreSQL and Meilisearch adapters translate them.
import { DEFAULT_LOCAL_AREA } from '../domain/regions.ts';
import type { Money, NOTICE_KINDS } from '../notices/notice.schema.ts';

export const SEARCH_STATUSES = ['open', 'closed', 'awarded'] as const;
export const CSR_FLAGS = ['social', 'environmental', 'innovation', 'reserved', 'sme'] as const;
export const SEARCH_SORTS = ['relevance', 'newest', 'deadline'] as const;
export const FACET_NAMES = ['status', 'kind', 'procedure', 'cpv', 'buyer', 'region', 'csr'] as const;

export type SearchStatus = (typeof SEARCH_STATUSES)[number];
export type CsrFlag = (typeof CSR_FLAGS)[number];
export type SearchSort = (typeof SEARCH_SORTS)[number];
export type FacetName = (typeof FACET_NAMES)[number];
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * At most this many matches are counted, ranked, sorted and faceted per query
 * (Meilisearch: `pagination.maxTotalHits`). Beyond it `total` stays at the cap
 * and `totalExact` is false; FTS5 then works on the most recently indexed
 * RESULT_CAP matches (see docs/search.md, "How many").
 */
export const RESULT_CAP = 1000;
/**
 * The index numbers notices that can never invite firms (statistics, awards,
 * history) upwards from here, below every notice that may (from 1 upwards),
 * so that the most recently indexed candidates begin with the notices that
 * may be open. A replaced document keeps its number.
 */
export const HISTORY_RIDS = -(2 ** 52);
/** Values returned per facet, most frequent first. */
export const FACET_VALUES = 50;
export const MAX_PAGE_SIZE = 100;
export const MAX_QUERY_LENGTH = 200;
/** `region=local`: the local area, as in subscriptions' `regions: ['local']`. */
export const LOCAL_REGION = 'local';

/**
 * The settings that make search agree with subscriptions and alerts
 * (config.localArea, config.alertMaxAgeDays). Applied when asked, not when
 * indexed, so changing them needs no reindex.
 */
export type SearchRules = {
  /** Kommunkoder of the local area: what `region=local` means, and ranked first. */
  localArea: readonly string[];
  /** A notice without a deadline is open this many days after publication (ALERT_MAX_AGE_DAYS). */
  alertMaxAgeDays: number;
};

export const DEFAULT_RULES: SearchRules = { localArea: DEFAULT_LOCAL_AREA, alertMaxAgeDays: 30 };

/** A notice as the search indexes see it: denormalised, flat, ready for filters and facets. */
export type SearchDocument = {
  id: string;
  revision: number;
  title: string;
  /** The description followed by the lot titles. */
  description: string;
  buyerName: string;
  /** Searchable codes: CPV codes, procedure id, source id. */
  codes: string[];
  /** The Swedish and English labels of the notice's own CPV codes: a category's name finds its notices. */
  labels: string;
  /** The labels of the codes' ancestors (group, class, division): found by them too, weighed least. */
  broaderLabels: string;
  buyerId: string;
  buyerOrgNumber: string | null;
  kind: NoticeKind;
  procedure: string | null;
  mainCpv: string;
  /** Every CPV code of the notice and every ancestor of each (45214200 → 45000000, 45200000, …). */
  cpv: string[];
  /** Divisions as 8-digit codes (45000000), the CPV facet. */
  cpvDivisions: string[];
  /** NUTS codes with all their prefixes (SE, SE2, SE23, SE232) and kommunkoder. */
  regions: string[];
  awarded: boolean;
  /**
   * What does not change with time of whether the notice is open (see
   * `mayInvite` in document.ts); the deadline and publication decide the rest
   * when asked (statusOf).
   */
  invites: boolean;
  deadline: string | null;
  /** publishedAt, or when Brygga stored the notice (never used for `open`: `invites` is false then). */
  publishedAt: string;
  estimatedValue: Money | null;
  /** The estimated value when it is in SEK; value filters apply to this. */
  valueSek: number | null;
  csr: CsrFlag[];
};

export type SearchQuery = {
  q: string;
  /** 8-digit codes at any level; a notice matches when it has the code or a descendant. */
  cpv: string[];
  /** Buyer ids or organisationsnummer (10 digits). */
  buyer: string[];
  /** NUTS codes (any level), kommunkoder, or LOCAL_REGION. */
  region: string[];
  procedure: string[];
  kind: NoticeKind[];
  status: SearchStatus[];
  /** ISO-8601 instants, both ends inclusive. */
  deadlineFrom: string | null;
  deadlineTo: string | null;
  publishedFrom: string | null;
  publishedTo: string | null;
  /** SEK, both ends inclusive. */
  valueMin: number | null;
  valueMax: number | null;
  /** Every flag given must be set. */
  csr: CsrFlag[];
  sort: SearchSort;
  page: number;
  pageSize: number;
};

export type SearchHit = {
  id: string;
  title: string;
  /** The title as HTML (escaped), matched words in <mark>. */
  titleHtml: string;
  /** An excerpt of the description as HTML (escaped), matched words in <mark>. */
  snippet: string;
  buyer: { id: string; name: string; orgNumber: string | null };
  kind: NoticeKind;
  status: SearchStatus;
  procedure: string | null;
  cpv: string;
  deadline: string | null;
  publishedAt: string;
  estimatedValue: Money | null;
};

export type FacetValue = { value: string; count: number; label?: string };
export type Facets = Record<FacetName, FacetValue[]>;

/** The index inside Brygga's own database: SQLite FTS5, or PostgreSQL full-text search. */
export type DatabaseBackend = 'fts5' | 'postgres';
/** Which index answered (X-Search-Backend): `<database>-fallback` when Meilisearch could not be reached. */
export type SearchBackend = DatabaseBackend | 'meilisearch' | `${DatabaseBackend}-fallback`;

export type SearchResult = {
  hits: SearchHit[];
  total: number;
  /** False when more than RESULT_CAP notices match (total is then RESULT_CAP). */
  totalExact: boolean;
  page: number;
  pageSize: number;
  facets: Facets;
  backend: SearchBackend;
};

/** Where documents come from when an index is rebuilt; may be read more than once. */
export type DocumentSource = () => AsyncIterable<SearchDocument[]>;

export interface SearchIndex {
  readonly name: DatabaseBackend | 'meilisearch';
  /** Creates tables or applies settings. Safe to call again. */
  init(): Promise<void>;
  /** Adds or replaces documents (by id). Idempotent. */
  upsert(docs: SearchDocument[]): Promise<void>;
  /** Removes documents by notice id; unknown ids are ignored. */
  remove(ids: string[]): Promise<void>;
  search(query: SearchQuery, now?: Date): Promise<SearchResult>;
  /** Replaces the whole content with the source's documents; returns how many. */
  rebuild(source: DocumentSource, onProgress?: (done: number) => void): Promise<number>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The index in Brygga's own database (FTS5 on SQLite, full-text search on
 * PostgreSQL). Written first and always in step, it answers when Meilisearch
 * cannot, and remembers which notices Meilisearch has still to receive.
 */
export interface DatabaseSearchIndex extends SearchIndex {
  readonly name: DatabaseBackend;
  /** Notices whose latest state Meilisearch has not received yet. */
  markPending(ids: string[]): Promise<void>;
  pendingIds(limit: number): Promise<string[]>;
  /** Clears these ids, or every id pending since before `before`. */
  clearPending(ids: string[] | { before: string }): Promise<void>;
}

/** A query with every filter empty: the base that parsers and tests fill in. */
export function emptyQuery(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return {
    q: '', cpv: [], buyer: [], region: [], procedure: [], kind: [], status: [],
    deadlineFrom: null, deadlineTo: null, publishedFrom: null, publishedTo: null,
    valueMin: null, valueMax: null, csr: [], sort: 'relevance', page: 1, pageSize: 20,
    ...overrides,
  };
}

export function emptyFacets(): Facets {
  return { status: [], kind: [], procedure: [], cpv: [], buyer: [], region: [], csr: [] };
}

/** The region codes a query names, `local` replaced by the local area's kommunkoder. */
export function regionCodes(regions: readonly string[], localArea: readonly string[]): string[] {
  return [...new Set(regions.flatMap((r) => (r === LOCAL_REGION ? localArea : [r])))];
}

/** Published at or after this instant, a notice without a deadline is still open (ISO). */
export function openSince(now: Date, alertMaxAgeDays: number): string {
  return new Date(now.getTime() - alertMaxAgeDays * 24 * 3600 * 1000).toISOString();
}

/**
 * awarded / open / closed, decided when asked. Open is exactly the alert rule
 * (domain/alerts.ts, alertKind): a notice that may invite firms (`invites`)
 * whose deadline is ahead, or that has none and was published within
 * alertMaxAgeDays. Whatever else is not awarded is closed. The adapters
 * translate this function; test/unit/search-document.test.ts holds it to alertKind.
 */
export function statusOf(
  doc: Pick<SearchDocument, 'awarded' | 'invites' | 'deadline' | 'publishedAt'>,
  now: Date,
  alertMaxAgeDays: number,
): SearchStatus {
  if (doc.awarded) return 'awarded';
  if (!doc.invites) return 'closed';
  const open = doc.deadline !== null ? doc.deadline > now.toISOString() : doc.publishedAt >= openSince(now, alertMaxAgeDays);
  return open ? 'open' : 'closed';
}

/** Most frequent first, then by value; at most FACET_VALUES. Both backends present facets this way. */
export function trimFacet(values: FacetValue[]): FacetValue[] {
  return values
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, FACET_VALUES);
}
