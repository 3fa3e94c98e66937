/**
 * eForms notice XML (UBL 2.3 + eForms extensions) → Brygga's notice input.
 *
 * Pure and synchronous; throws RejectedError with a reason for anything that
 * is not a complete eForms notice. txml builds the tree (the fastest parser
 * measured here) but is lenient: it expands no entities, yet it also accepts
 * truncated or mismatched markup. So one cheap pass over the raw text runs
 * first (rejecting DOCTYPE/ENTITY declarations before anything is parsed) and
 * the tree is then checked against the end tags that pass found.
 *
 * Elements are matched on their local name, whatever the namespace prefix.
 * Lookups are short linear scans of one element's children: a notice has a
 * few hundred elements and the paths below touch only a small part of them,
 * so indexing children would cost more than it saves.
 */
import { parse, type TNode } from 'txml/txml';
import { EFORMS_CRITERIA } from '../domain/csr.ts';
import { isValidOrgNumber } from '../domain/orgnr.ts';
import { httpUrl, isNutsCode, isProcedureType, type NoticeInputRaw } from '../notices/notice.schema.ts';
import { calendarDate } from './ocds.ts';
import { RejectedError } from './rejected.ts';

type El = TNode;
type Kind = NonNullable<NoticeInputRaw['kind']>;
type LotRaw = NonNullable<NoticeInputRaw['lots']>[number];
type AwardRaw = NonNullable<NoticeInputRaw['awards']>[number];
type CriteriaRaw = NonNullable<NoticeInputRaw['criteria']>;
type LinksRaw = NonNullable<NoticeInputRaw['links']>;
type MoneyRaw = { amount: number; currency: string };
type CpvRaw = { main: string; additional: string[] };

/** Far above any real notice (the largest TED notices are a few MB). */
const MAX_LENGTH = 20_000_000;
const ACCEPTED_ROOTS = new Set(['ContractNotice', 'ContractAwardNotice', 'PriorInformationNotice']);
const COMPANY_SIZES = new Set(['micro', 'small', 'medium', 'large']);
const CPV = /^\d{8}(?:-\d)?$/;

/** eForms uses ISO 639-3 codes (BT-702, languageID); Brygga stores ISO 639-1. */
const LANGUAGES: Record<string, string> = {
  BUL: 'bg', CES: 'cs', DAN: 'da', DEU: 'de', ELL: 'el', ENG: 'en', EST: 'et', FIN: 'fi',
  FRA: 'fr', GLE: 'ga', HRV: 'hr', HUN: 'hu', ITA: 'it', LAV: 'lv', LIT: 'lt', MLT: 'mt',
  NLD: 'nl', POL: 'pl', POR: 'pt', RON: 'ro', SLK: 'sk', SLV: 'sl', SPA: 'es', SWE: 'sv',
  NOR: 'no', ISL: 'is',
};

export function parseEforms(xml: string): NoticeInputRaw {
  const root = parseDocument(xml);
  return readNotice(root, localName(root.tagName));
}

// ---------------------------------------------------------------------------
// Document checks

function reject(reason: string): never {
  throw new RejectedError(reason);
}

function parseDocument(xml: string): El {
  if (typeof xml !== 'string') reject('not a text document');
  if (!/\S/.test(xml)) reject('empty document');
  if (xml.length > MAX_LENGTH) reject(`document too large (${xml.length} characters)`);
  const scan = scanMarkup(xml);
  checkRootName(scan.rootName);

  let nodes: (El | string)[];
  try {
    // No void elements in XML: without this txml treats <link>, <meta>, … as empty.
    nodes = parse(xml, { selfClosingTags: [] });
  } catch (error) {
    // txml recurses per level: hostile nesting overflows the stack.
    if (error instanceof RangeError) reject('malformed XML: nested too deeply');
    reject(`malformed XML: ${String((error as Error).message).split('\n')[0]}`);
  }
  const root = singleRoot(nodes);
  checkEndTags(xml, root, scan.endTags);
  return root;
}

interface Scan {
  rootName: string;
  /** Where each end tag's name starts, in document order. */
  endTags: number[];
}

/**
 * One pass over the markup, jumping from `<` to `<`: rejects declarations
 * before anything is parsed, skips comments, CDATA and processing
 * instructions, and notes the root element's name and where every end tag is.
 */
function scanMarkup(xml: string): Scan {
  const endTags: number[] = [];
  let rootName = '';
  let i = xml.indexOf('<');
  while (i !== -1) {
    const next = xml.charCodeAt(i + 1);
    if (next === 47 /* / */) {
      endTags.push(i + 2);
      i = xml.indexOf('<', i + 2);
    } else if (next === 33 /* ! */) {
      i = xml.indexOf('<', skipBang(xml, i));
    } else if (next === 63 /* ? */) {
      i = xml.indexOf('<', closeOf(xml, i, '?>', 'processing instruction'));
    } else {
      if (rootName === '') rootName = xml.slice(i + 1, nameEnd(xml, i + 1));
      i = xml.indexOf('<', i + 1);
    }
  }
  if (rootName === '') reject('malformed XML: no root element');
  return { rootName, endTags };
}

function closeOf(xml: string, start: number, terminator: string, what: string): number {
  const end = xml.indexOf(terminator, start + 2);
  if (end === -1) reject(`malformed XML: unterminated ${what}`);
  return end + terminator.length;
}

/** End of a comment or CDATA section; any other `<!` is a declaration. */
function skipBang(xml: string, i: number): number {
  if (xml.startsWith('<!--', i)) return closeOf(xml, i + 2, '-->', 'comment');
  if (xml.startsWith('<![CDATA[', i)) return closeOf(xml, i + 7, ']]>', 'CDATA section');
  // Entity expansion (billion laughs) and external entities (XXE) both need a
  // DTD; eForms never has one, so no DTD is accepted at all.
  const word = xml.slice(i + 2, nameEnd(xml, i + 2)).toUpperCase();
  if (word === 'DOCTYPE') reject('DOCTYPE declaration not allowed (entity expansion / external entities)');
  if (word === 'ENTITY') reject('ENTITY declaration not allowed (entity expansion / external entities)');
  return reject(`markup declaration <!${word.slice(0, 20)} not allowed`);
}

function nameEnd(xml: string, from: number): number {
  let j = from;
  for (;;) {
    const c = xml.charCodeAt(j);
    // NaN past the end; whitespace, '>', '/' and '[' end a name.
    if (Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13 || c === 62 || c === 47 || c === 91) return j;
    j++;
  }
}

function checkRootName(qualified: string): void {
  const name = localName(qualified);
  if (name === 'TED_EXPORT') {
    reject('unsupported format: legacy TED XML (R2.0.9), root TED_EXPORT; only eForms (UBL 2.3) notices are accepted');
  }
  if (!ACCEPTED_ROOTS.has(name)) {
    reject(`unsupported root element <${qualified.slice(0, 60)}>: expected ContractNotice, ContractAwardNotice or PriorInformationNotice`);
  }
}

/** Exactly one element at the top, nothing but the XML declaration beside it. */
function singleRoot(nodes: (El | string)[]): El {
  let root: El | undefined;
  for (const node of nodes) {
    if (typeof node === 'string') reject('malformed XML: text outside the root element');
    if (node.tagName.startsWith('?')) continue;
    if (root) reject('malformed XML: more than one root element');
    root = node;
  }
  if (!root) reject('malformed XML: no root element');
  return root;
}

/**
 * txml stops silently at the end of a truncated document and accepts an end
 * tag whose name merely contains the element's name. In well-formed XML the
 * end tags, in document order, are exactly the elements not written `<x/>`,
 * in post-order (the order a parser closes them), so both faults show up by
 * pairing the two lists.
 */
function checkEndTags(xml: string, root: El, endTags: number[]): void {
  let closed: number;
  try {
    closed = closeAll(xml, root, endTags, 0);
  } catch (error) {
    if (error instanceof RejectedError) throw error;
    reject('malformed XML: nested too deeply'); // stack overflow on hostile nesting
  }
  if (closed !== endTags.length) reject('malformed XML: unexpected end tag');
}

/** Pairs the elements under `el`, in post-order, with end tags from index k on; returns the next index. */
function closeAll(xml: string, el: El, endTags: number[], k: number): number {
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i];
    if (typeof kid !== 'string') k = closeAll(xml, kid, endTags, k);
  }
  if (el.selfClosed || el.tagName.charCodeAt(0) === 63 /* ? */) return k;
  const at = endTags[k];
  if (at === undefined) reject(`malformed XML: <${el.tagName.slice(0, 60)}> is not closed (truncated document?)`);
  if (!endTagMatches(xml, at, el.tagName)) reject(`malformed XML: mismatched end tag for <${el.tagName.slice(0, 60)}>`);
  return k + 1;
}

/**
 * txml has already checked that this end tag contains the name, so an end
 * tag of the same length is the name itself: one character to look at.
 * (String comparison is the slow part here, so it is kept for the rare
 * `</name >` form.)
 */
function endTagMatches(xml: string, at: number, name: string): boolean {
  const after = xml.charCodeAt(at + name.length);
  if (after === 62 /* > */) return xml.charCodeAt(at) === name.charCodeAt(0);
  const end = xml.indexOf('>', at);
  return end !== -1 && xml.startsWith(name, at) && xml.slice(at + name.length, end).trim() === '';
}

// ---------------------------------------------------------------------------
// Tree helpers (local names, so any namespace prefix works)

function localName(tag: string): string {
  return tag.slice(tag.indexOf(':') + 1);
}

function is(el: El, local: string): boolean {
  const tag = el.tagName;
  const prefix = tag.length - local.length;
  if (prefix === 0) return tag === local;
  return prefix > 0 && tag.charCodeAt(prefix - 1) === 58 /* : */ && tag.endsWith(local);
}

function child(el: El | undefined, local: string): El | undefined {
  if (el) for (const c of el.children) if (typeof c !== 'string' && is(c, local)) return c;
  return undefined;
}

function children(el: El | undefined, local: string): El[] {
  const found: El[] = [];
  if (el) for (const c of el.children) if (typeof c !== 'string' && is(c, local)) found.push(c);
  return found;
}

/** el/a[1]/b[1]/… */
function first(el: El | undefined, ...path: string[]): El | undefined {
  let at = el;
  for (const step of path) at = child(at, step);
  return at;
}

/** Every el/a/b/… */
function all(el: El | undefined, ...path: string[]): El[] {
  let level = el ? [el] : [];
  for (const step of path) {
    const next: El[] = [];
    for (const e of level) for (const c of e.children) if (typeof c !== 'string' && is(c, step)) next.push(c);
    level = next;
  }
  return level;
}

function attr(el: El | undefined, name: string): string | null {
  return el?.attributes[name] ?? null;
}

/** Trimmed text content, entities decoded; null when empty. */
function text(el: El | undefined): string | null {
  if (!el) return null;
  let s = '';
  for (const c of el.children) if (typeof c === 'string') s += c;
  s = s.trim();
  if (s === '') return null;
  return s.includes('&') ? decodeEntities(s) : s;
}

const ENTITY = /&(?:#[xX]([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(ENTITY, (match, hex?: string, dec?: string, named?: string) => {
    if (named) return NAMED[named];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

function clip(s: string | null, max: number): string | null {
  return s === null || s.length <= max ? s : s.slice(0, max);
}

/** The text of an element whose list (@listName) is `list`; a missing listName is accepted. */
function codeIn(el: El | undefined, list: string): string | null {
  const listName = attr(el, 'listName');
  return listName === null || listName === list ? text(el) : null;
}

/** Appends a code of the eForms list the schema knows ('none' is not one), once. */
function addCode(list: string[], code: string | null, known: Record<string, unknown>): void {
  if (code && Object.hasOwn(known, code) && !list.includes(code)) list.push(code);
}

/** The efext:EformsExtension of an element (the notice root, a TenderingProcess, …). */
function extension(el: El | undefined): El | undefined {
  for (const ubl of all(el, 'UBLExtensions', 'UBLExtension')) {
    const found = first(ubl, 'ExtensionContent', 'EformsExtension');
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Languages and texts

function language(code: string | null): string | null {
  if (!code) return null;
  const c = code.trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(c)) return c.toLowerCase();
  return LANGUAGES[c] ?? null;
}

interface Texts {
  /** Language of texts without a languageID: the notice's own (BT-702). */
  noticeLanguage: string | null;
  /** Most wanted first: sv, en, then the notice's language. */
  preference: string[];
}

interface Picked {
  text: string;
  language: string | null;
}

/** The text among translations (one element per languageID) in the most preferred language. */
function pick(els: El[], texts: Texts, preference = texts.preference): Picked | null {
  let best: Picked | null = null;
  let bestRank = Infinity;
  for (const el of els) {
    const value = text(el);
    if (value === null) continue;
    const lang = language(attr(el, 'languageID')) ?? texts.noticeLanguage;
    const index = lang === null ? -1 : preference.indexOf(lang);
    const rank = index === -1 ? preference.length : index;
    if (rank < bestRank) {
      best = { text: value, language: lang };
      bestRank = rank;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// Values

const DATE = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/;

/** eForms date (`2019-11-15+01:00`) and time (`12:00:00+01:00`) → ISO-8601 UTC. */
function dateTime(date: string | null, time: string | null, defaultTime: string): string | null {
  const d = date ? DATE.exec(date) : null;
  if (!d) return null;
  const t = time ? /^(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(time) : null;
  const clock = t ? t[1] + (t[2] ?? ':00') : defaultTime;
  // The schema requires offsets; should one be missing, UTC is the least surprising guess.
  const zone = t?.[3] ?? d[2] ?? 'Z';
  const ms = Date.parse(`${d[1]}T${clock}${zone}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b < a ? b : a; // both ISO UTC from toISOString: comparable as strings
}

function money(el: El | undefined): MoneyRaw | null {
  const value = text(el);
  const currency = attr(el, 'currencyID')?.trim().toUpperCase();
  if (value === null || !currency || !/^[A-Z]{3}$/.test(currency)) return null;
  const amount = Number(value);
  return Number.isFinite(amount) && amount >= 0 ? { amount, currency } : null;
}

function nuts(el: El | undefined): string | null {
  const code = codeIn(el, 'nuts')?.toUpperCase() ?? null;
  return code !== null && isNutsCode(code) ? code : null;
}

function cpvCode(el: El | undefined): string | null {
  const code = codeIn(el, 'cpv');
  return code !== null && CPV.test(code) ? code : null;
}

/** BT-262 main and BT-263 additional codes of a cac:ProcurementProject. */
function cpvOf(project: El | undefined): CpvRaw | null {
  const main = cpvCode(first(project, 'MainCommodityClassification', 'ItemClassificationCode'));
  if (main === null) return null;
  const additional: string[] = [];
  for (const el of all(project, 'AdditionalCommodityClassification', 'ItemClassificationCode')) {
    const code = cpvCode(el);
    if (code !== null && code !== main && !additional.includes(code)) additional.push(code);
  }
  return { main, additional };
}

/** BT-27 */
function estimatedValue(project: El | undefined): MoneyRaw | null {
  return money(first(project, 'RequestedTenderTotal', 'EstimatedOverallContractAmount'));
}

// ---------------------------------------------------------------------------
// The notice

interface Context {
  texts: Texts;
  /** efac:Organization by its ORG-xxxx id. */
  organizations: Map<string, El>;
}

function readNotice(root: El, rootName: string): NoticeInputRaw {
  const ext = extension(root);
  const noticeLanguage = language(text(child(root, 'NoticeLanguageCode')));
  const preference = [...new Set(['sv', 'en', ...(noticeLanguage ? [noticeLanguage] : [])])];
  const ctx: Context = {
    texts: { noticeLanguage, preference },
    organizations: indexOrganizations(child(ext, 'Organizations')),
  };

  const project = child(root, 'ProcurementProject');
  const lotElements = children(root, 'ProcurementProjectLot');
  // Lots of a call for competition ('Lot') and parts of a PIN ('Part'); not groups of lots.
  const lotsOnly = lotElements.filter((el) => attr(child(el, 'ID'), 'schemeName') !== 'LotsGroup');
  const lotProjects = lotsOnly.map((el) => child(el, 'ProcurementProject'));

  const title = pick(children(project, 'Name'), ctx.texts)
    ?? firstPicked(lotProjects.map((p) => pick(children(p, 'Name'), ctx.texts)));
  // BT-702 is mandatory; 'en' only labels a notice that lacks a known language.
  const lang = title?.language ?? noticeLanguage ?? 'en';
  const ownFirst = [lang, ...preference.filter((l) => l !== lang)];
  const description = pick(children(project, 'Description'), ctx.texts, ownFirst);
  const cpv = cpvOf(project) ?? lotProjects.map(cpvOf).find((c) => c !== null) ?? null;
  const buyer = readBuyer(root, ctx);

  if (!title || !cpv || !buyer) {
    const missing = [!title && 'title', !cpv && 'CPV code', !buyer && 'buyer organisation'].filter((m) => m);
    reject(`incomplete notice: no ${missing.join(', no ')}`);
  }

  const noticeId = children(root, 'ID').find((el) => attr(el, 'schemeName') === 'notice-id') ?? child(root, 'ID');
  // The OJ S publication number identifies a published notice for sure; notice
  // ids are reused in practice (TED's converter gave six notices the same one).
  const publicationId = text(first(ext, 'Publication', 'NoticePublicationID'));

  return {
    source: 'eforms',
    sourceId: (publicationId ? `${text(noticeId)}/${publicationId}` : text(noticeId)) ?? undefined,
    version: text(child(root, 'VersionID')),
    procedureId: text(child(root, 'ContractFolderID')),
    kind: kindOf(root, rootName, ext),
    title: clip(title.text, 1000)!,
    description: clip(description?.text ?? null, 100_000),
    language: lang,
    buyer,
    cpv,
    lots: readLots(lotsOnly, ctx, ownFirst),
    estimatedValue: estimatedValue(project),
    publishedAt: publishedAt(root, ext),
    deadline: deadline(root, lotElements),
    procedure: procedureType(codeIn(first(root, 'TenderingProcess', 'ProcedureCode'), 'procurement-procedure-type')),
    placeOfPerformance: placeOfPerformance([project, ...lotProjects]),
    criteria: readCriteria(root, project, lotElements),
    awards: readAwards(child(ext, 'NoticeResult'), ctx),
    links: readLinks([root, ...lotElements], publicationId),
  };
}

/** BT-105; a code outside the list (a newer SDK, a typo) is left out rather than refusing the notice. */
function procedureType(code: string | null): string | null {
  return code !== null && isProcedureType(code) ? code : null;
}

function firstPicked(candidates: (Picked | null)[]): Picked | null {
  return candidates.find((c) => c !== null) ?? null;
}

function indexOrganizations(organizations: El | undefined): Map<string, El> {
  const byId = new Map<string, El>();
  for (const org of children(organizations, 'Organization')) {
    const id = text(first(org, 'Company', 'PartyIdentification', 'ID'));
    if (id !== null && !byId.has(id)) byId.set(id, org);
  }
  return byId;
}

/**
 * A change notice (corrigendum) carries efac:Changes and otherwise repeats the
 * notice it corrects, so it is 'change' whatever its type. A contract
 * modification (can-modif) reports a contract's new value and winner: award
 * data, so 'award'. A PIN used as a call for competition (pin-cfc-*, listName
 * 'competition') invites firms to express interest: a tender opportunity.
 */
function kindOf(root: El, rootName: string, ext: El | undefined): Kind {
  if (child(ext, 'Changes')) return 'change';
  if (rootName === 'ContractAwardNotice') return 'award';
  if (rootName === 'PriorInformationNotice') {
    return attr(child(root, 'NoticeTypeCode'), 'listName') === 'competition' ? 'tender' : 'planning';
  }
  return 'tender';
}

/**
 * The official publication date when TED has published the notice, else
 * dispatch (BT-05). TED gives a day: it stays a day (`2021-07-13`), since
 * midnight in its zone would be the day before in UTC.
 */
function publishedAt(root: El, ext: El | undefined): string | null {
  const published = day(text(first(ext, 'Publication', 'PublicationDate')));
  if (published) return published;
  const issueDate = text(child(root, 'IssueDate'));
  const issueTime = text(child(root, 'IssueTime'));
  return issueTime === null ? day(issueDate) : dateTime(issueDate, issueTime, '00:00:00');
}

/** The day of an eForms date, its zone dropped: `2021-07-13+01:00` → `2021-07-13`. */
function day(date: string | null): string | null {
  return calendarDate(DATE.exec(date ?? '')?.[1]);
}

/** Earliest tender deadline (BT-131) of any lot; where none, the earliest request/interest deadline (BT-1311, BT-630). */
function deadline(root: El, lotElements: El[]): string | null {
  let tenders: string | null = null;
  let requests: string | null = null;
  for (const holder of [root, ...lotElements]) {
    const process = child(holder, 'TenderingProcess');
    if (!process) continue;
    tenders = earliest(tenders, period(child(process, 'TenderSubmissionDeadlinePeriod')));
    requests = earliest(requests, period(child(process, 'ParticipationRequestReceptionPeriod')));
    requests = earliest(requests, period(child(extension(process), 'InterestExpressionReceptionPeriod')));
  }
  return tenders ?? requests;
}

/** End of a period; a deadline given without a time lasts the whole day. */
function period(el: El | undefined): string | null {
  return el ? dateTime(text(child(el, 'EndDate')), text(child(el, 'EndTime')), '23:59:59') : null;
}

function readBuyer(root: El, ctx: Context): NoticeInputRaw['buyer'] | null {
  // Joint procurement lists several buyers; the first is the lead.
  for (const party of children(root, 'ContractingParty')) {
    const id = text(first(party, 'Party', 'PartyIdentification', 'ID'));
    const company = child(id === null ? undefined : ctx.organizations.get(id), 'Company');
    const name = pick(all(company, 'PartyName', 'Name'), ctx.texts);
    if (!company || !name) continue;
    const address = child(company, 'PostalAddress');
    return {
      name: clip(name.text, 500)!,
      orgNumber: swedishOrgNumber(
        text(first(company, 'PartyLegalEntity', 'CompanyID')),
        text(first(address, 'Country', 'IdentificationCode')),
      ),
      nuts: nuts(child(address, 'CountrySubentityCode')),
    };
  }
  return null;
}

/**
 * BT-501 is free text in each country's own scheme; keep it only when it is a
 * valid organisationsnummer of a Swedish (or country-less) organisation. A
 * Swedish VAT number (SE + orgnr + 01) is accepted too.
 */
function swedishOrgNumber(companyId: string | null, country: string | null): string | null {
  if (companyId === null || (country !== null && country !== 'SWE')) return null;
  const vat = /^SE\s?(\d{6}-?\d{4})\s?01$/i.exec(companyId);
  const candidate = vat ? vat[1] : companyId;
  return isValidOrgNumber(candidate) ? candidate : null;
}

/** One lot per id: a repeated id (a publishing error) keeps its first lot. */
function readLots(lotElements: El[], ctx: Context, preference: string[]): LotRaw[] {
  const lots = new Map<string, LotRaw>();
  for (const el of lotElements) {
    const lot = readLot(el, ctx, preference);
    if (lot && !lots.has(lot.id)) lots.set(lot.id, lot);
  }
  return [...lots.values()];
}

function readLot(el: El, ctx: Context, preference: string[]): LotRaw | null {
  const id = text(child(el, 'ID'));
  if (id === null) return null;
  const project = child(el, 'ProcurementProject');
  return {
    id,
    title: clip(pick(children(project, 'Name'), ctx.texts, preference)?.text ?? null, 1000),
    cpv: cpvOf(project),
    estimatedValue: estimatedValue(project),
  };
}

function placeOfPerformance(projects: (El | undefined)[]): NonNullable<NoticeInputRaw['placeOfPerformance']> {
  const codes: string[] = [];
  let postalCode: string | null = null;
  let town: string | null = null;
  for (const address of projects.flatMap((p) => all(p, 'RealizedLocation', 'Address'))) {
    const code = nuts(child(address, 'CountrySubentityCode'));
    if (code !== null && !codes.includes(code)) codes.push(code);
    postalCode ??= clip(text(child(address, 'PostalZone')), 20);
    town ??= clip(text(child(address, 'CityName')), 200);
  }
  return { nuts: codes, postalCode, town };
}

/** BT-06, BT-775, BT-774, BT-805, BT-71, BT-726 over the procedure, its lots and groups of lots. */
function readCriteria(root: El, project: El | undefined, lotElements: El[]): CriteriaRaw {
  const criteria = {
    strategic: [] as string[], social: [] as string[], green: [] as string[], gpp: [] as string[],
    reserved: [] as string[], smeSuitable: null as boolean | null, requirements: [] as string[],
  };
  const lists: Record<string, [string[], Record<string, unknown>]> = {
    'strategic-procurement': [criteria.strategic, EFORMS_CRITERIA.strategic],
    'social-objective': [criteria.social, EFORMS_CRITERIA.social],
    'environmental-impact': [criteria.green, EFORMS_CRITERIA.green],
    'gpp-criteria': [criteria.gpp, EFORMS_CRITERIA.gpp],
  };
  const projects = [project, ...lotElements.map((el) => child(el, 'ProcurementProject'))];
  for (const p of projects) {
    for (const type of all(p, 'ProcurementAdditionalType', 'ProcurementTypeCode')) {
      const list = lists[attr(type, 'listName') ?? ''];
      if (list) addCode(list[0], text(type), list[1]);
    }
    const sme = text(child(p, 'SMESuitableIndicator'));
    if (sme === 'true') criteria.smeSuitable = true;
    else if (sme === 'false') criteria.smeSuitable ??= false;
  }
  for (const holder of [root, ...lotElements]) {
    const requirements = all(child(holder, 'TenderingTerms'), 'TendererQualificationRequest', 'SpecificTendererRequirement', 'TendererRequirementTypeCode');
    for (const el of requirements) {
      if (attr(el, 'listName') === 'reserved-procurement') addCode(criteria.reserved, text(el), EFORMS_CRITERIA.reserved);
    }
  }
  return criteria;
}

// ---------------------------------------------------------------------------
// Links

/**
 * BT-15 procurement documents and BT-18 submission URL, from the procedure's
 * or a lot's TenderingTerms, the first usable one (a notice's lots share them
 * in practice). Restricted documents (BT-615, behind a registration) are taken
 * only when no open ones are given. The official notice is TED's page for the
 * OJ S publication number: 00123456-2023 → …/detail/123456-2023.
 */
function readLinks(holders: El[], publicationId: string | null): LinksRaw {
  const references = holders.flatMap((h) => all(h, 'TenderingTerms', 'CallForTendersDocumentReference'));
  const uris = (refs: El[]) => refs.map((ref) => text(first(ref, 'Attachment', 'ExternalReference', 'URI')));
  const open = references.filter((ref) => text(child(ref, 'DocumentType')) !== 'restricted-document');
  const published = publicationId ? /^0*(\d+)-(\d{4})$/.exec(publicationId) : null;
  return {
    documents: firstUrl(uris(open)) ?? firstUrl(uris(references)),
    submission: firstUrl(holders.flatMap((h) => all(h, 'TenderingTerms', 'TenderRecipientParty', 'EndpointID').map(text))),
    source: published ? `https://ted.europa.eu/en/notice/-/detail/${published[1]}-${published[2]}` : null,
  };
}

function firstUrl(candidates: (string | null)[]): string | null {
  for (const candidate of candidates) {
    const url = httpUrl(candidate);
    if (url !== null) return url;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Awards: LotResult → LotTender → TenderingParty → Tenderer → Organization

function byId(els: El[]): Map<string, El> {
  const map = new Map<string, El>();
  for (const el of els) {
    const id = text(child(el, 'ID'));
    if (id !== null && !map.has(id)) map.set(id, el);
  }
  return map;
}

function readAwards(result: El | undefined, ctx: Context): AwardRaw[] {
  if (!result) return [];
  const tenders = byId(children(result, 'LotTender'));
  const parties = byId(children(result, 'TenderingParty'));
  const contracts = byId(children(result, 'SettledContract'));
  const contracted = new Set<string>();
  for (const contract of contracts.values()) {
    for (const id of all(contract, 'LotTender', 'ID').map(text)) if (id !== null) contracted.add(id);
  }
  const lotResults = children(result, 'LotResult');
  const receivedByLot = new Map<string, number | null>();
  for (const lotResult of lotResults) {
    const lotId = text(first(lotResult, 'TenderLot', 'ID'));
    if (lotId !== null && !receivedByLot.has(lotId)) receivedByLot.set(lotId, receivedTenders(lotResult));
  }
  const awards: AwardRaw[] = [];
  const seen = new Set<string>();
  for (const lotResult of lotResults) {
    // BT-142: only selected winners. VEAT and contract-modification notices
    // carry no result code: their results are the awarded contracts.
    const status = text(child(lotResult, 'TenderResultCode'));
    if (status !== null && status !== 'selec-w') continue;
    const resultLot = text(first(lotResult, 'TenderLot', 'ID'));
    const { ids, viaContract } = winningTenders(lotResult, contracts, contracted);
    for (const tenderId of ids) {
      const tender = tenders.get(tenderId);
      // A tender names the lot it was submitted for. Published notices do mix
      // up which tenders a result lists, and a tender's value belongs to its
      // own lot; a contract reached from the result may span several lots.
      const lotId = (viaContract ? null : tenderLot(tender)) ?? resultLot;
      const key = `${lotId} ${tenderId}`;
      if (seen.has(key)) continue;
      const winner = readWinner(parties.get(text(first(tender, 'TenderingParty', 'ID')) ?? ''), ctx);
      if (!winner) continue;
      seen.add(key);
      awards.push({
        lotId: clip(lotId, 64),
        winner,
        value: money(first(tender, 'LegalMonetaryTotal', 'PayableAmount')),
        tendersReceived: (lotId !== null ? receivedByLot.get(lotId) : undefined) ?? receivedTenders(lotResult),
      });
    }
  }
  return awards;
}

/** BT-13714, unless it points at a group of lots. */
function tenderLot(tender: El | undefined): string | null {
  const ref = first(tender, 'TenderLot', 'ID');
  return attr(ref, 'schemeName') === 'LotsGroup' ? null : text(ref);
}

/**
 * The winning tenders of a result. Some buyers list every tender of the lot
 * under the result; the tenders that became contracts are the winners, so
 * where settled contracts name their tenders, those decide. A result that
 * lists no tenders (VEAT) is resolved through its settled contracts.
 */
function winningTenders(
  lotResult: El,
  contracts: Map<string, El>,
  contracted: Set<string>,
): { ids: string[]; viaContract: boolean } {
  const listed = new Set<string>();
  for (const el of children(lotResult, 'LotTender')) {
    const id = text(child(el, 'ID'));
    if (id !== null) listed.add(id);
  }
  if (listed.size === 0) {
    for (const ref of children(lotResult, 'SettledContract')) {
      const contract = contracts.get(text(child(ref, 'ID')) ?? '');
      for (const id of all(contract, 'LotTender', 'ID').map(text)) if (id !== null) listed.add(id);
    }
    return { ids: [...listed], viaContract: true };
  }
  const won = [...listed].filter((id) => contracted.has(id));
  return { ids: won.length > 0 ? won : [...listed], viaContract: false };
}

/** BT-759 of type 'tenders' (BT-760); a count without a type is taken as the total. */
function receivedTenders(lotResult: El): number | null {
  let untyped: number | null = null;
  for (const stats of children(lotResult, 'ReceivedSubmissionsStatistics')) {
    const type = text(child(stats, 'StatisticsCode'));
    const n = Number(text(child(stats, 'StatisticsNumeric')) ?? NaN);
    if (!Number.isInteger(n) || n < 0) continue;
    if (type === 'tenders') return n;
    if (type === null) untyped ??= n;
  }
  return untyped;
}

/** A consortium is represented by its group leader (OPT-170), else its first member. */
function readWinner(party: El | undefined, ctx: Context): AwardRaw['winner'] | null {
  const tenderers = children(party, 'Tenderer');
  const lead = tenderers.find((t) => text(child(t, 'GroupLeadIndicator')) === 'true') ?? tenderers[0];
  const company = child(ctx.organizations.get(text(child(lead, 'ID')) ?? ''), 'Company');
  const name = pick(all(company, 'PartyName', 'Name'), ctx.texts);
  if (!company || !name) return null;
  const address = child(company, 'PostalAddress');
  const companyId = text(first(company, 'PartyLegalEntity', 'CompanyID'));
  const size = codeIn(child(company, 'CompanySizeCode'), 'economic-operator-size');
  return {
    name: clip(name.text, 500)!,
    orgNumber: companyId !== null && companyId.length <= 40 ? companyId : null,
    size: size !== null && COMPANY_SIZES.has(size) ? (size as 'micro' | 'small' | 'medium' | 'large') : null,
    nuts: nuts(child(address, 'CountrySubentityCode')),
    postalCode: clip(text(child(address, 'PostalZone')), 20),
  };
}
