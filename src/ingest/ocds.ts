// OCDS (Open Contracting Data Standard) JSON → notice inputs.
//
// Accepts a release package (`releases[]`), a record package (`records[]`), a
// bare release, a bare record, or (leniently) a top-level array of releases or
// records. This module says which parts of a document are releases and maps
// each release; json-stream.ts reads the JSON, whole or streamed, so memory
// stays flat however large the file is. Each release becomes one ParsedItem: a
// notice, or a rejection the caller can count without losing the rest of the file.
import type { Readable } from 'node:stream';
import { tryNormalizeCpv } from '../domain/cpv.ts';
import { httpUrl, type NoticeInputRaw } from '../notices/notice.schema.ts';
import { concat, readHead } from './chunks.ts';
import { parseJsonDocument, streamJson, type JsonObject as Obj, type JsonUnits } from './json-stream.ts';
import {
  calendarDate, clip, isoDate, money, noUsable, orgNumberDigits, requireNotice, str,
  type AwardRaw, type CpvRaw, type Kind, type LinksRaw, type LotRaw, type Money, type ParsedItem,
} from './parsed.ts';
import { RejectedError } from './rejected.ts';

export interface ParseOcdsOptions {
  /**
   * Inputs up to this many bytes are read whole and handed to JSON.parse,
   * which is several times faster than token streaming on small documents;
   * larger ones are streamed release by release. Memory is bounded either way.
   */
  wholeDocumentLimit?: number;
}

const WHOLE_DOCUMENT_LIMIT = 4 * 1024 * 1024;
const NOT_CONTAINER = 'not OCDS: top-level value is not an object or array';

/**
 * Streams notices out of an OCDS file. Throws RejectedError for malformed or
 * truncated JSON, for JSON that is not OCDS, and for a file without a single
 * usable release (after yielding its rejections: callers buffer per file).
 */
export function parseOcds(input: NodeJS.ReadableStream | Readable, options: ParseOcdsOptions = {}): AsyncGenerator<ParsedItem> {
  const shape = { ocds: false };
  return requireNotice(documentItems(input, options.wholeDocumentLimit ?? WHOLE_DOCUMENT_LIMIT, shape), (first) =>
    shape.ocds ? noUsable('release', first, 'no releases') : 'not OCDS: expected a release package, record package, release or record',
  );
}

/** `shape.ocds` is set once a package, record or release has been recognised. */
type Shape = { ocds: boolean };

async function* documentItems(input: NodeJS.ReadableStream | Readable, limit: number, shape: Shape): AsyncGenerator<ParsedItem> {
  const head = await readHead(input as AsyncIterable<Buffer | string>, (size) => size > limit);
  if (head.ended) yield* wholeDocumentItems(parseJsonDocument(Buffer.concat(head.chunks)), shape);
  else yield* streamJson(concat(head.chunks, head.rest), new OcdsUnits(shape));
}

// ---------------------------------------------------------------------------
// Whole documents

function wholeDocumentItems(root: unknown, shape: Shape): ParsedItem[] {
  if (Array.isArray(root)) return root.flatMap((element, i) => elementItems(element, `[${i}]`, shape));
  const o = obj(root);
  if (!o) throw new RejectedError(NOT_CONTAINER);
  if (Array.isArray(o.records)) {
    shape.ocds = true;
    return o.records.flatMap((record, i) => elementItems(record, `records[${i}]`, shape));
  }
  const isPackage = Object.keys(o).some((k) => PACKAGE_KEYS.has(k));
  if (Array.isArray(o.releases) && isPackage && !obj(o.compiledRelease)) {
    shape.ocds = true;
    return o.releases.map((release, i) => releaseToItem(release, `releases[${i}]`));
  }
  return rootItems(o, shape);
}

/** An element of records[] or of a top-level array: a record or a release. */
function elementItems(value: unknown, where: string, shape: Shape): ParsedItem[] {
  const o = obj(value);
  if (o && isRecord(o)) {
    shape.ocds = true;
    return recordToItems(o, where);
  }
  if (o && typeof o.ocid === 'string') {
    shape.ocds = true;
    return [releaseToItem(o, where)];
  }
  return [{ rejected: NOT_OCDS, ref: where }];
}

/** A root object that is not a package: a bare record or a bare release (or not OCDS). */
function rootItems(root: Obj, shape: Shape): ParsedItem[] {
  if (isRecord(root)) {
    shape.ocds = true;
    return recordToItems(root, 'record');
  }
  if (typeof root.ocid === 'string') {
    shape.ocds = true;
    return [releaseToItem(root, 'release')];
  }
  return [];
}

const NOT_OCDS = 'not an OCDS release or record';

// ---------------------------------------------------------------------------
// Streamed documents: which top-level arrays hold the releases

/** Top-level keys that only a package has (a bare record has ocid/releases/compiledRelease). */
const PACKAGE_KEYS = new Set(['uri', 'publishedDate', 'publisher', 'version', 'license', 'publicationPolicy', 'extensions', 'packages']);
const NONE: readonly ParsedItem[] = [];

/**
 * Streams `releases` and `records` element by element and keeps the rest of a
 * root object, so a bare record or release is mapped once the root is read.
 */
class OcdsUnits implements JsonUnits<ParsedItem> {
  readonly notContainer = NOT_CONTAINER;
  readonly unitName = 'release or record';
  private sawRecordKey = false; // ocid, compiledRelease or versionedRelease seen at the top
  private bufferReleases = false; // `releases` of a bare record: wait for compiledRelease
  private buffered: unknown[] = [];

  constructor(private shape: Shape) {}

  rootValue(key: string, isArray: boolean, root: Obj): 'stream' | 'skip' | 'keep' {
    if (key === 'ocid' || key === 'compiledRelease' || key === 'versionedRelease') this.sawRecordKey = true;
    if (key === 'versionedRelease') return 'skip'; // large, and redundant with compiledRelease
    if ((key === 'releases' || key === 'records') && isArray) {
      if (key === 'releases' && 'compiledRelease' in root) return 'skip';
      // Package metadata comes first in practice; a record announces itself by ocid/compiledRelease.
      const keys = Object.keys(root);
      this.bufferReleases = key === 'releases' && this.sawRecordKey && !keys.some((k) => PACKAGE_KEYS.has(k));
      if (!this.bufferReleases) this.shape.ocds = true;
      return 'stream';
    }
    return 'keep';
  }

  element(value: unknown, index: number, key: string | null): readonly ParsedItem[] {
    if (key === 'releases') {
      if (!this.bufferReleases) return [releaseToItem(value, `releases[${index}]`)];
      this.buffered.push(value);
      return NONE;
    }
    return elementItems(value, key === 'records' ? `records[${index}]` : `[${index}]`, this.shape);
  }

  /** A bare record or release is only known as such once the whole root object is read. */
  end(root: Obj | null): readonly ParsedItem[] {
    if (root === null) return NONE;
    if (this.buffered.length > 0) root.releases = this.buffered;
    // A streamed package is done; a record whose releases were streamed still contributes its compiledRelease.
    if (this.shape.ocds && !obj(root.compiledRelease)) return NONE;
    return rootItems(root, this.shape);
  }
}

function isRecord(o: Obj): boolean {
  return obj(o.compiledRelease) !== undefined || Array.isArray(o.releases);
}

/** A record's compiled release when it has one (the current state), else its embedded releases. */
function recordToItems(record: Obj, where: string): ParsedItem[] {
  const compiled = obj(record.compiledRelease);
  if (compiled) {
    if (typeof compiled.ocid !== 'string' && typeof record.ocid === 'string') compiled.ocid = record.ocid;
    return [releaseToItem(compiled, where)];
  }
  // Linked releases ({url, date, tag}) carry no data of their own.
  const embedded = arr(record.releases).filter((r) => obj(r)?.ocid !== undefined && obj(r)?.url === undefined);
  if (!embedded.length) return [{ rejected: 'record has neither compiledRelease nor embedded releases', ref: where }];
  return embedded.map((r, i) => releaseToItem(r, `${where}.releases[${i}]`));
}

// ---------------------------------------------------------------------------
// Mapping: one release → one notice

/** Maps one release; the reason for a rejection names the first missing essential. */
function releaseToItem(value: unknown, where: string): ParsedItem {
  const release = obj(value);
  if (!release) return { rejected: 'not a release object', ref: where };
  const ocid = str(release.ocid);
  const id = idOf(release.id);
  const ref = ocid ? (id && id !== ocid ? `${ocid} ${id}` : ocid) : where;
  if (!ocid) return { rejected: 'no ocid', ref };
  if (ocid.length > 200) return { rejected: 'ocid longer than 200 characters', ref };

  const tender = obj(release.tender) ?? {};
  const parties = arr(release.parties);
  const awards = objects(release.awards);
  const contracts = objects(release.contracts);

  const title = titleOf(release, tender, awards, contracts);
  if (!title) return { rejected: 'no title', ref };
  const cpv = cpvOf(arr(tender.items)) ?? cpvOf(itemsOf(awards)) ?? cpvOf(itemsOf(contracts));
  if (!cpv) return { rejected: 'no CPV', ref };
  const buyer = buyerOf(release, tender, parties);
  if (!buyer) return { rejected: 'no buyer', ref };

  const lots = lotsOf(tender);
  const date = isoDate(release.date);
  const notice: NoticeInputRaw = {
    source: 'ocds',
    sourceId: ocid,
    procedureId: ocid,
    version: versionOf(date, id),
    kind: kindOf(release, tender, awards),
    title,
    description: clip(str(tender.description) ?? str(obj(release.planning)?.rationale), 100_000),
    language: languageOf(release.language),
    buyer,
    cpv,
    lots,
    estimatedValue: valueOf(tender.value),
    // A release dated with a day only stays a day; the version still sorts by the full date.
    publishedAt: calendarDate(release.date) ?? date,
    deadline: isoDate(obj(tender.tenderPeriod)?.endDate),
    procedure: procedureOf(tender.procurementMethod),
    awards: awardsOf(awards, parties, lots.length ? null : count(tender.numberOfTenderers)),
    links: linksOf(tender),
  };
  const criteria = criteriaOf(tender);
  if (criteria) notice.criteria = criteria;
  return { notice };
}

/** Tender title first; planning-only and contract-only releases fall back to what they have. */
function titleOf(release: Obj, tender: Obj, awards: Obj[], contracts: Obj[]): string | null {
  const budget = obj(obj(release.planning)?.budget);
  const title =
    str(tender.title) ??
    str(budget?.project) ??
    str(budget?.description) ??
    str(release.title) ??
    first(awards, (a) => str(a.title)) ??
    first(contracts, (c) => str(c.title));
  return clip(title, 1000);
}

// Tag → kind. Updates and amendments of a published stage are 'change'; later
// contract-stage tags still describe an awarded procedure.
const TAG_KIND: Record<string, Kind> = {
  planning: 'planning',
  planningUpdate: 'planning',
  tender: 'tender',
  tenderUpdate: 'tender',
  tenderAmendment: 'change',
  tenderCancellation: 'change',
  award: 'award',
  contract: 'award',
  implementation: 'award',
  implementationUpdate: 'award',
  awardUpdate: 'change',
  awardCancellation: 'change',
  contractUpdate: 'change',
  contractAmendment: 'change',
  contractTermination: 'change',
};
const KIND_RANK: Record<Kind, number> = { planning: 0, tender: 1, change: 2, award: 3 };

/**
 * With several tags the most advanced stage wins, but 'award' only when the
 * release has awards (Moldova tags every release tender+award+contract). A
 * compiled release (tag 'compiled') is classified by its content.
 */
function kindOf(release: Obj, tender: Obj, awards: Obj[]): Kind {
  let best: Kind | null = null;
  for (const tag of arr(release.tag)) {
    let kind = typeof tag === 'string' ? TAG_KIND[tag] : undefined;
    if (kind === 'award' && awards.length === 0) kind = 'tender';
    if (kind && (best === null || KIND_RANK[kind] > KIND_RANK[best])) best = kind;
  }
  if (best) return best;
  if (awards.some((a) => str(a.status) === 'active')) return 'award';
  if (Object.keys(tender).length === 0 && release.planning !== undefined) return 'planning';
  return 'tender';
}

/** `md` (Moldova's country code) is what Moldova sends for Romanian. OCDS's default is English. */
function languageOf(value: unknown): string {
  const code = str(value)?.toLowerCase().split(/[-_]/)[0];
  if (code === 'md' || code === 'mo') return 'ro';
  return code && /^[a-z]{2}$/.test(code) ? code : 'en';
}

/** The buyer, resolved in parties[]; older data (UK 2014) has the organization inline. */
function buyerOf(release: Obj, tender: Obj, parties: unknown[]): NoticeInputRaw['buyer'] | null {
  const ref = obj(release.buyer) ?? obj(tender.procuringEntity);
  const party = findParty(parties, ref?.id) ?? parties.map(obj).find((p) => arr(p?.roles).includes('buyer'));
  const name = str(party?.name) ?? str(ref?.name) ?? str(obj(party?.identifier)?.legalName);
  if (!name) return null;
  const identifier = obj(party?.identifier) ?? obj(ref?.identifier);
  return { name: clip(name, 500), orgNumber: swedishOrgNumber(identifier, false), nuts: null };
}

function findParty(parties: unknown[], id: unknown): Obj | undefined {
  const wanted = idOf(id);
  if (wanted === null) return undefined;
  for (const p of parties) {
    const party = obj(p);
    if (party && idOf(party.id) === wanted) return party;
  }
  return undefined;
}

// org-id.guide registers Swedish organisationsnummer as SE-BLV (Bolagsverket);
// SE-ORG is what Swedish publishers are likely to write. Accept both.
const SWEDISH_SCHEMES = new Set(['SE-ORG', 'SE-BLV']);

function swedishOrgNumber(identifier: Obj | undefined, allowPersonal: boolean): string | null {
  const scheme = str(identifier?.scheme)?.toUpperCase();
  const id = idOf(identifier?.id);
  if (!scheme || !id || !SWEDISH_SCHEMES.has(scheme)) return null;
  return orgNumberDigits(id, allowPersonal);
}

/** A winner's identifier: Swedish ones normalised (sole traders allowed), others as given. */
function winnerOrgNumber(identifier: Obj | undefined): string | null {
  const swedish = swedishOrgNumber(identifier, true);
  if (swedish) return swedish;
  const id = idOf(identifier?.id);
  return id && id.length <= 40 ? id : null;
}

/** Most frequent item classification is the main code (first on a tie); the rest are additional. */
function cpvOf(items: unknown[]): CpvRaw | null {
  const counts = new Map<string, number>();
  const extra: string[] = [];
  for (const entry of items) {
    const item = obj(entry);
    if (!item) continue;
    const code = cpvCode(item.classification);
    if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
    for (const c of arr(item.additionalClassifications)) {
      const more = cpvCode(c);
      if (more) extra.push(more);
    }
  }
  let main: string | undefined;
  let best = 0;
  for (const [code, n] of counts) {
    if (n > best) [main, best] = [code, n];
  }
  main ??= extra[0];
  if (!main) return null;
  const additional = [...new Set([...counts.keys(), ...extra])].filter((c) => c !== main).slice(0, 200);
  return { main, additional };
}

// Feeds repeat the same few hundred codes; remembering them keeps CPV work off the profile.
const cpvCache = new Map<string, string | null>();

function cpvCode(classification: unknown): string | null {
  const c = obj(classification);
  const scheme = c && str(c.scheme);
  if (!scheme || scheme.toUpperCase() !== 'CPV') return null;
  const id = idOf(c.id);
  if (!id) return null;
  let code = cpvCache.get(id);
  if (code === undefined) {
    code = tryNormalizeCpv(id);
    if (cpvCache.size > 50_000) cpvCache.clear();
    cpvCache.set(id, code);
  }
  return code;
}

function itemsOf(parents: Obj[]): unknown[] {
  return parents.flatMap((p) => arr(p.items));
}

/** Lots extension: tender.lots[], items linked by relatedLot. A repeated lot id keeps its first lot. */
function lotsOf(tender: Obj): LotRaw[] {
  const lots: LotRaw[] = [];
  const items = objects(tender.items);
  for (const lot of objects(tender.lots).slice(0, 500)) {
    const id = idOf(lot.id);
    if (!id || id.length > 64 || lots.some((l) => l.id === id)) continue;
    const related = items.filter((item) => idOf(item.relatedLot) === id);
    lots.push({ id, title: clip(str(lot.title), 1000), cpv: cpvOf(related), estimatedValue: valueOf(lot.value) });
  }
  return lots;
}

/** An OCDS Value ({ amount, currency }); amounts written as strings are read too. */
function valueOf(value: unknown): Money | null {
  const v = obj(value);
  if (!v) return null;
  const amount = typeof v.amount === 'number' ? v.amount : typeof v.amount === 'string' && v.amount.trim() ? Number(v.amount) : NaN;
  return money(amount, typeof v.currency === 'string' ? v.currency : null);
}

// OCDS procurementMethod → eForms procedure type (BT-105). 'limited' and
// 'direct' are both awards without a call for competition: neg-wo-call.
// Anything else (Moldova writes its national procedure names here) is left out.
const METHODS: Record<string, string> = { open: 'open', selective: 'restricted', limited: 'neg-wo-call', direct: 'neg-wo-call' };

function procedureOf(value: unknown): string | null {
  const method = str(value)?.toLowerCase();
  return (method && Object.hasOwn(METHODS, method) && METHODS[method]) || null;
}

// documentType codelist: what a firm needs to write a tender, most complete first.
const TENDER_DOCUMENTS = ['biddingDocuments', 'technicalSpecifications', 'evaluationCriteria', 'eligibilityCriteria', 'contractDraft', 'billOfQuantity'];

/**
 * tender.documents: the bidding documents (or, without them, the first other
 * tender document) and the tender notice, the official publication;
 * submissionMethodDetails only when it is nothing but a URL. Unusable URLs are dropped.
 */
function linksOf(tender: Obj): LinksRaw {
  const documents = objects(tender.documents);
  const urlOf = (type: string) => first(documents, (d) => (d.documentType === type && httpUrl(d.url)) || undefined);
  return {
    documents: first(TENDER_DOCUMENTS, urlOf) ?? null,
    submission: httpUrl(tender.submissionMethodDetails),
    source: urlOf('tenderNotice') ?? null,
  };
}

// OCDS 'scale' → Brygga's size. 'sme' says small *or* medium: 'small' is the
// likelier of the two (small firms outnumber medium ones about five to one)
// and keeps SME totals right. A self-employed supplier is a micro enterprise.
const SCALES: Record<string, AwardRaw['winner']['size']> = { micro: 'micro', selfemployed: 'micro', sme: 'small', large: 'large' };

/**
 * One award per supplier of each active award (older data leaves status empty:
 * an award with suppliers counts). A value shared by several suppliers cannot
 * be split honestly, so it is kept only when the award has a single supplier.
 */
function awardsOf(awards: Obj[], parties: unknown[], tendersReceived: number | null): AwardRaw[] {
  const out: AwardRaw[] = [];
  for (const award of awards) {
    const status = str(award.status)?.toLowerCase();
    const suppliers = objects(award.suppliers);
    if (status ? status !== 'active' : suppliers.length === 0) continue;
    const lotId = idOf(arr(award.relatedLots)[0]);
    const value = suppliers.length === 1 ? valueOf(award.value) : null;
    for (const supplier of suppliers) {
      const party = findParty(parties, supplier.id);
      const name = str(party?.name) ?? str(supplier.name);
      if (!name || out.length >= 1000) continue;
      const scale = str(obj(party?.details)?.scale)?.toLowerCase();
      out.push({
        lotId: lotId && lotId.length <= 64 ? lotId : null,
        winner: {
          name: clip(name, 500),
          orgNumber: winnerOrgNumber(obj(party?.identifier) ?? obj(supplier.identifier)),
          size: (scale && SCALES[scale]) || null,
          nuts: null,
          postalCode: clip(str(obj(party?.address)?.postalCode), 20),
        },
        value,
        tendersReceived,
      });
    }
  }
  return out;
}

// Sustainability extension goals (tender or lot level) → eForms strategic-procurement codes.
function strategicCode(goal: string): string | null {
  if (goal.startsWith('environmental')) return 'env-imp';
  if (goal.startsWith('social')) return 'soc-obj';
  if (goal === 'economic.innovativePurchase' || goal.startsWith('innovation')) return 'inn-pur';
  return null;
}
const RESERVED: Record<string, string> = { shelteredWorkshop: 'res-ws', publicServiceMissionOrganization: 'res-pub-ser' };

/** CSR signals OCDS can carry (sustainability, suitability, otherRequirements extensions); undefined when none. */
function criteriaOf(tender: Obj): NoticeInputRaw['criteria'] | undefined {
  const scopes = [tender, ...objects(tender.lots)];
  const strategic = new Set<string>();
  let smeSuitable: boolean | null = null;
  for (const scope of scopes) {
    for (const s of objects(scope.sustainability)) {
      const code = typeof s.goal === 'string' ? strategicCode(s.goal) : null;
      if (code) strategic.add(code);
    }
    const sme = obj(scope.suitability)?.sme;
    if (typeof sme === 'boolean') smeSuitable = smeSuitable === true || sme;
  }
  const reserved = arr(obj(tender.otherRequirements)?.reservedParticipation)
    .map((r) => (typeof r === 'string' ? RESERVED[r] : undefined))
    .filter((r): r is string => r !== undefined);
  if (!strategic.size && smeSuitable === null && !reserved.length) return undefined;
  return { strategic: [...strategic], reserved, smeSuitable };
}

// ---------------------------------------------------------------------------
// Small helpers for untyped JSON

/**
 * The release date in ISO basic format (`20100315T093000Z`): sorts in time
 * order so a later release updates an earlier one, and has no `:` (job ids).
 */
function versionOf(date: string | null, id: string | null): string | null {
  if (date) return date.replace(/[-:]|\.\d+/g, '');
  return id && id.length <= 40 ? id : null;
}

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function objects(value: unknown): Obj[] {
  const out: Obj[] = [];
  for (const v of arr(value)) {
    const o = obj(v);
    if (o) out.push(o);
  }
  return out;
}

/** Identifiers come as strings or numbers (`"id": 1`). */
function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return str(value) ?? null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function first<T>(list: T[], pick: (item: T) => string | undefined): string | undefined {
  for (const item of list) {
    const v = pick(item);
    if (v) return v;
  }
  return undefined;
}
