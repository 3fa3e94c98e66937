/**
 * eForms notice XML (UBL 2.3 + eForms extensions) → Brygga's notice input.
 *
 * Only the mapping lives here (business terms named BT-xx), so a new eForms
 * SDK touches this file alone; reading untrusted XML safely is xml.ts's job.
 * Pure and synchronous; throws RejectedError with a reason for anything that
 * is not a complete eForms notice.
 */
import { EFORMS_CRITERIA } from '../domain/csr.ts';
import { isValidOrgNumber } from '../domain/orgnr.ts';
import { httpUrl, isNutsCode, isProcedureType, type NoticeInputRaw } from '../notices/notice.schema.ts';
import { calendarDate, clip, money, type AwardRaw, type CpvRaw, type CriteriaRaw, type Kind, type LinksRaw, type LotRaw, type Money } from './parsed.ts';
import { reject } from './rejected.ts';
import { all, attr, child, children, first, localName, parseXmlDocument, text, type El } from './xml.ts';

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
  const root = parseXmlDocument(xml, { maxLength: MAX_LENGTH, checkRoot: checkRootName });
  return readNotice(root, localName(root.tagName));
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

// ---------------------------------------------------------------------------
// eForms conventions

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

/** An amount element with its @currencyID. */
function amount(el: El | undefined): Money | null {
  const value = text(el);
  return value === null ? null : money(Number(value), attr(el, 'currencyID'));
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
function estimatedValue(project: El | undefined): Money | null {
  return amount(first(project, 'RequestedTenderTotal', 'EstimatedOverallContractAmount'));
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
    title: clip(title.text, 1000),
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
      name: clip(name.text, 500),
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
        value: amount(first(tender, 'LegalMonetaryTotal', 'PayableAmount')),
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
    name: clip(name.text, 500),
    orgNumber: companyId !== null && companyId.length <= 40 ? companyId : null,
    size: size !== null && COMPANY_SIZES.has(size) ? (size as 'micro' | 'small' | 'medium' | 'large') : null,
    nuts: nuts(child(address, 'CountrySubentityCode')),
    postalCode: clip(text(child(address, 'PostalZone')), 20),
  };
}
