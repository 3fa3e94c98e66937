// eForms parser against the shared notice set (/work/shared/data/eforms) and
// hand-written hostile input. Expected values were read from the XML files.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEforms } from '../../src/ingest/eforms.ts';
import { RejectedError } from '../../src/ingest/rejected.ts';
import { noticeInputSchema, type NoticeInput } from '../../src/notices/notice.schema.ts';
import { requireSharedData, sharedDataPath } from '../helpers/shared-data.ts';

const EFORMS_FOLDERS = ['sdk-examples', 'ted-published', 'ted-converted'];
const INVALID = 'INVALID_cn_24_empty.xml';

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.xml')).sort();
}

function read(ctx: Mocha.Context, folder: string, file: string): string {
  return readFileSync(requireSharedData(ctx, 'eforms', folder, file), 'utf8');
}

/** Parses a shared notice and validates it the way the notices service does. */
function notice(ctx: Mocha.Context, folder: string, file: string): NoticeInput {
  return noticeInputSchema.parse(parseEforms(read(ctx, folder, file)));
}

function rejection(xml: string): RejectedError {
  try {
    parseEforms(xml);
  } catch (error) {
    expect(error).to.be.instanceOf(RejectedError);
    return error as RejectedError;
  }
  return expect.fail('expected a RejectedError');
}

/** A fictitious Lerum notice written for the project (test/fixtures). */
const LERUM = readFileSync(new URL('../fixtures/eforms/lerum-cn.xml', import.meta.url), 'utf8');

const noCriteria = { strategic: [], social: [], green: [], gpp: [], reserved: [], smeSuitable: null, requirements: [] };

describe('eForms parser', () => {
  describe('the shared notice set', () => {
    const root = sharedDataPath('eforms');
    if (root === null) {
      it('needs the shared eForms notices', function () {
        requireSharedData(this, 'eforms');
      });
      return;
    }

    it('has the 40 eForms notices and 6 legacy ones the README lists', () => {
      const counts = EFORMS_FOLDERS.map((folder) => xmlFiles(join(root, folder)).length);
      expect(counts).to.deep.equal([26, 8, 6]);
      expect(xmlFiles(join(root, 'ted-legacy-r209'))).to.have.length(6);
    });

    for (const folder of EFORMS_FOLDERS) {
      for (const file of xmlFiles(join(root, folder))) {
        if (file === INVALID) {
          it(`${folder}/${file} is rejected: no title, no CPV`, function () {
            const error = rejection(read(this, folder, file));
            expect(error.reason).to.match(/^incomplete notice: no title, no CPV code/);
          });
          continue;
        }
        it(`${folder}/${file} parses into a valid notice`, function () {
          const parsed = notice(this, folder, file);
          expect(parsed.source).to.equal('eforms');
          expect(parsed.sourceId).to.be.a('string');
          expect(parsed.cpv.main).to.match(/^\d{8}$/);
          expect(parsed.lots.length).to.be.greaterThan(0);
        });
      }
    }

    for (const file of xmlFiles(join(root, 'ted-legacy-r209'))) {
      it(`ted-legacy-r209/${file} is rejected as legacy TED XML`, function () {
        const error = rejection(read(this, 'ted-legacy-r209', file));
        expect(error.reason).to.match(/^unsupported format: legacy TED XML \(R2\.0\.9\)/);
      });
    }
  });

  describe('extracted values', () => {
    it('Swedish contract notice 21-364236 (Uppsala universitet)', function () {
      const n = notice(this, 'ted-converted', '21-364236-001-EXP.xml');
      expect(n).to.deep.include({
        sourceId: 'f252f386-55ac-4fa8-9be4-9f950b9904c8/352907-2021', // notice id + OJ S publication number
        version: '01',
        procedureId: 'aff2863e-b4cc-4e91-baba-b3b85f709117',
        kind: 'tender',
        title: 'Laboratorieinredning Hus 6 och 7 Ångström',
        description: 'Laboratorieinredning',
        language: 'sv',
        procedure: 'open',
        // efbc:PublicationDate 2021-07-13+01:00 wins over the dispatch date, and stays a day
        publishedAt: '2021-07-13',
        // 2021-08-18 23:59:00+01:00
        deadline: '2021-08-18T22:59:00.000Z',
        awards: [],
        criteria: noCriteria, // reserved-procurement 'none' is dropped
      });
      expect(n.buyer).to.deep.equal({ name: 'Uppsala universitet', orgNumber: '2021002932', nuts: 'SE121' });
      expect(n.cpv).to.deep.equal({ main: '39180000', additional: [] });
      expect(n.estimatedValue).to.deep.equal({ amount: 2_000_000, currency: 'SEK' });
      // the lot repeats its main code as an additional one: deduplicated
      expect(n.lots).to.deep.equal([{
        id: 'LOT-0000',
        title: 'Laboratorieinredning Hus 6 och 7 Ångström',
        cpv: { main: '39180000', additional: [] },
        estimatedValue: { amount: 2_000_000, currency: 'SEK' },
      }]);
      expect(n.placeOfPerformance).to.deep.equal({ nuts: ['SE121'], postalCode: null, town: null });
    });

    it('Swedish award notice 21-364240 (Uppsala kommun, no winner)', function () {
      const n = notice(this, 'ted-converted', '21-364240-001-EXP.xml');
      expect(n).to.deep.include({ kind: 'award', language: 'sv', title: 'Arbetsbefrämjande insatser', procedure: 'restricted', deadline: null });
      // no CompanyID in the notice
      expect(n.buyer).to.deep.equal({ name: 'Uppsala kommun', orgNumber: null, nuts: 'SE121' });
      expect(n.cpv).to.deep.equal({ main: '85300000', additional: [] });
      expect(n.lots.map((l) => [l.id, l.cpv])).to.deep.equal([
        ['LOT-0000', { main: '85300000', additional: ['98000000', '85310000'] }],
      ]);
      // the only LotResult is clos-nw: nothing was awarded
      expect(n.awards).to.deep.equal([]);
    });

    it('cn_24_maximal: lots without the lot group, participation deadline, CSR codes', function () {
      const n = notice(this, 'sdk-examples', 'cn_24_maximal.xml');
      expect(n).to.deep.include({ kind: 'tender', version: '03', language: 'en', procedure: 'neg-w-call', title: 'Procurement Title ---' });
      expect(n.cpv).to.deep.equal({ main: '79710000', additional: ['79720000'] });
      expect(n.estimatedValue).to.deep.equal({ amount: 9_999_999.99, currency: 'EUR' });
      expect(n.buyer).to.deep.equal({ name: 'Financial Adinistration for ...', orgNumber: null, nuts: 'LU000' });
      // GLO-0001 is a group of lots, not a lot
      expect(n.lots.map((l) => l.id)).to.deep.equal(['LOT-0001', 'LOT-0002']);
      expect(n.lots[0].cpv).to.deep.equal({ main: '75121000', additional: [] });
      expect(n.lots[0].estimatedValue).to.deep.equal({ amount: 9_999_999.99, currency: 'EUR' });
      // no tender deadline (BT-131): the request-to-participate one, 2023-05-22 20:59:32+01:00
      expect(n.deadline).to.equal('2023-05-22T19:59:32.000Z');
      expect(n.publishedAt).to.equal('2023-03-23T19:59:32.000Z');
      expect(n.criteria).to.deep.equal({
        strategic: ['env-imp'], social: ['acc-all'], green: ['clim-mitig'], gpp: [],
        reserved: ['res-pub-ser'], smeSuitable: true, requirements: [],
      });
      expect(n.placeOfPerformance).to.deep.equal({ nuts: ['LU000'], postalCode: '1234', town: 'Luxembourg' });
      expect(n.awards).to.deep.equal([]);
    });

    it('can_24_maximal: two winners of LOT-0001, LOT-0002 closed without winner', function () {
      const n = notice(this, 'sdk-examples', 'can_24_maximal.xml');
      expect(n).to.deep.include({ kind: 'award', procedure: 'neg-w-call', deadline: null });
      expect(n.lots.map((l) => l.id)).to.deep.equal(['LOT-0001', 'LOT-0002']);
      expect(n.lots[0].cpv).to.deep.equal({ main: '75121000', additional: ['33185200'] });
      expect(n.criteria).to.deep.include({ strategic: ['env-imp'], social: ['acc-all'], green: ['clim-mitig'] });
      expect(n.awards).to.deep.equal([
        {
          // TEN-0001 names the lot group; the result's lot is used
          lotId: 'LOT-0001',
          // group leader of consortium TPA-0001
          winner: { name: 'Gyro Soft SA', orgNumber: '927384203', size: 'large', nuts: 'LU000', postalCode: '8754' },
          value: { amount: 9_999_999.99, currency: 'EUR' },
          tendersReceived: 9,
        },
        {
          lotId: 'LOT-0001',
          winner: { name: 'Competitor', orgNumber: '1223456789', size: 'large', nuts: 'FR101', postalCode: '75004' },
          value: { amount: 9_999_999.99, currency: 'EUR' },
          tendersReceived: 9,
        },
      ]);
    });

    it('cn-social_25: social and green codes, deadline across a +03:00 offset', function () {
      const n = notice(this, 'sdk-examples', 'cn-social_25.xml');
      expect(n).to.deep.include({ kind: 'tender', procedure: 'innovation', title: 'At the End of the Tunnel vol3' });
      expect(n.cpv).to.deep.equal({ main: '30000000', additional: [] });
      expect(n.estimatedValue).to.deep.equal({ amount: 1231, currency: 'BWP' });
      // 2023-08-11 15:00:00+03:00
      expect(n.deadline).to.equal('2023-08-11T12:00:00.000Z');
      expect(n.buyer).to.deep.equal({ name: 'ZenithNova Innovations', orgNumber: null, nuts: 'EL303' });
      expect(n.criteria).to.deep.equal({
        strategic: [], social: ['opp', 'acc-all'], green: ['biodiv-eco', 'other'], gpp: [],
        reserved: [], smeSuitable: null, requirements: [],
      });
    });

    it('pin-rtl_24: a prior information notice is planning', function () {
      const n = notice(this, 'sdk-examples', 'pin-rtl_24.xml');
      expect(n).to.deep.include({ kind: 'planning', procedureId: null, deadline: null, procedure: null });
      expect(n.publishedAt).to.equal('2023-05-26T09:42:26.000Z');
      expect(n.cpv.main).to.equal('80110000');
      expect(n.lots.map((l) => l.id)).to.deep.equal(['LOT-0001']);
      expect(n.criteria).to.deep.include({ social: ['et-eq', 'acc-all', 'opp'], green: ['circ-econ'], reserved: [] });
      expect(n.placeOfPerformance.nuts).to.deep.equal(['EL301']);
    });

    it('veat_81: direct awards resolved through the settled contract', function () {
      const n = notice(this, 'sdk-examples', 'veat_81.xml');
      expect(n).to.deep.include({ kind: 'award', procedure: 'neg-wo-call' });
      expect(n.lots.map((l) => l.id)).to.deep.equal(['LOT-0001', 'LOT-0002']);
      expect(n.criteria).to.deep.include({ social: ['hum-right', 'opp'], green: ['circ-econ'] });
      // no result code, no tender value, no size, no company id (ORG-0002)
      const winner = { name: 'New Org', orgNumber: null, size: null, nuts: 'EL303', postalCode: '117 43' };
      expect(n.awards).to.deep.equal([
        { lotId: 'LOT-0001', winner, value: null, tendersReceived: null },
        { lotId: 'LOT-0002', winner, value: null, tendersReceived: null },
      ]);
    });

    it('2024-OJS065-00191534 (published, 5 lots): one winner per lot, by settled contract', function () {
      const n = notice(this, 'ted-published', '2024-OJS065-00191534.xml');
      expect(n).to.deep.include({ kind: 'award', version: '02', language: 'fr', procedure: 'open' });
      // the French name, in the notice's language (NLD is the other)
      expect(n.buyer).to.deep.equal({ name: 'SPF Intérieur', orgNumber: null, nuts: 'BE100' });
      expect(n.cpv).to.deep.equal({ main: '90911000', additional: [] });
      expect(n.lots.map((l) => l.id)).to.deep.equal(['LOT-0001', 'LOT-0002', 'LOT-0003', 'LOT-0004', 'LOT-0005']);
      expect(n.placeOfPerformance.nuts).to.deep.equal(['BE234', 'BE236', 'BE257', 'BE310']);
      const byLot = [...n.awards].sort((a, b) => String(a.lotId).localeCompare(String(b.lotId)));
      expect(byLot.map((a) => [a.lotId, a.winner.name, a.winner.orgNumber, a.value?.amount, a.tendersReceived])).to.deep.equal([
        ['LOT-0001', 'Belgo Facility Services', '0832584553', 8819.09, 6],
        ['LOT-0002', 'M&G CLEANING', '0879639451', 13768.11, 5], // &amp; decoded
        ['LOT-0003', 'Belgo Facility Services', '0832584553', 11016.45, 4],
        ['LOT-0004', 'Belgo Facility Services', '0832584553', 11807.88, 4],
        ['LOT-0005', 'Belgo Facility Services', '0832584553', 9317.85, 5],
      ]);
      expect(n.awards.every((a) => a.value?.currency === 'EUR' && a.winner.size === null)).to.equal(true);
    });

    it('can_24_UKRI: winner size, value and tenders received', function () {
      const n = notice(this, 'sdk-examples', 'can_24_UKRI.xml');
      expect(n.cpv.main).to.equal('71000000');
      expect(n.cpv.additional).to.have.length(11);
      expect(n.awards).to.deep.equal([{
        lotId: 'LOT-0000',
        winner: { name: 'Ramboll UK Ltd', orgNumber: 'ID222222', size: 'large', nuts: null, postalCode: 'SE1 8NW' },
        value: { amount: 60_000_000, currency: 'GBP' },
        tendersReceived: 2,
      }]);
    });

    it('cn_24_multilingual: Swedish texts are preferred', function () {
      const n = notice(this, 'sdk-examples', 'cn_24_multilingual.xml');
      expect(n.language).to.equal('sv');
      expect(n.title).to.equal('Tillhandahållande av IT-tjänster avseende OP IT Systems (EUR-Lex, N-Lex, Search Layer, och andra)');
      expect(n.description).to.match(/^Tillhandahållande av IT-tjänster avseende publikationsbyråns/);
      expect(n.buyer.name).to.equal('Europeiska unionens publikationsbyrå');
      expect(n.lots[0].title).to.equal(n.title);
    });

    it('buyer orgNumber: Swedish organisationsnummer or VAT number only', function () {
      const xml = read(this, 'ted-converted', '21-364236-001-EXP.xml');
      const withId = (id: string, country = 'SWE') => noticeInputSchema.parse(parseEforms(
        xml.replace('202100-2932', id).replace(/(listName="country">)SWE/, `$1${country}`),
      )).buyer.orgNumber;
      expect(withId('SE202100293201')).to.equal('2021002932');
      expect(withId('2021002932')).to.equal('2021002932');
      expect(withId('202100-2933')).to.equal(null); // check digit
      expect(withId('202100-2932', 'NOR')).to.equal(null); // not a Swedish organisation
    });

    it('notice kinds: change notice, contract modification, PIN as call for competition', function () {
      expect(notice(this, 'sdk-examples', 'change-cn_24_open_dates.xml').kind).to.equal('change');
      const modification = notice(this, 'sdk-examples', 'can-modif_24_value.xml');
      expect(modification.kind).to.equal('award');
      expect(modification.awards.map((a) => [a.winner.name, a.value])).to.deep.equal([
        ['PwC UK LLP', { amount: 6_430_000, currency: 'GBP' }],
      ]);
      const pinCfc = notice(this, 'ted-published', '2024-OJS047-00137599.xml');
      expect(pinCfc.kind).to.equal('tender');
      // gpp-criteria 'none' dropped; SME suitability from the lot group
      expect(pinCfc.criteria).to.deep.include({ green: ['other'], gpp: [], smeSuitable: true });
    });
  });

  describe('links (BT-15, BT-18, the notice on TED)', () => {
    const links = (ctx: Mocha.Context, folder: string, file: string) => notice(ctx, folder, file).links;

    it('a published notice: documents and submission from its lot, TED page from the OJ S number', function () {
      expect(links(this, 'ted-published', '2024-OJS064-00189213.xml')).to.deep.equal({
        documents: 'https://www.etenders.gov.ie/epps/cft/listContractDocuments.do?resourceId=3317704',
        submission: 'https://www.etenders.gov.ie/epps/eawarding/showTenderList.do?resourceId=3317704',
        // NoticePublicationID 00189213-2024: TED's page drops the leading zeros
        source: 'https://ted.europa.eu/en/notice/-/detail/189213-2024',
      });
      // the Swedish notice, converted from TED XML: publication number 352907-2021
      expect(links(this, 'ted-converted', '21-364236-001-EXP.xml')).to.deep.equal({
        documents: 'https://www.kommersannons.se/elite/Notice/NoticeDispatch.aspx?NoticeId=59970',
        submission: 'https://www.kommersannons.se/elite/Notice/NoticeDispatch.aspx?NoticeId=59970',
        source: 'https://ted.europa.eu/en/notice/-/detail/352907-2021',
      });
    });

    it('prefers open documents to restricted ones, and takes restricted ones when that is all', function () {
      // cn_24_maximal lists http://accessto.com (restricted) beside the open documents
      expect(links(this, 'sdk-examples', 'cn_24_maximal.xml')).to.deep.equal({
        documents: 'http://nonrestricteddocuments.com', submission: 'http://tender-submit.fin-adm.com/esubmission', source: null,
      });
      expect(links(this, 'sdk-examples', 'cn_24_minimal.xml').documents).to.equal('https://etendering.ted.europa.eu/cft/cft-display.html?cftId=5629');
    });

    it('drops what is not an http(s) URL, and keeps the notice', function () {
      // EndpointID "www.Fountainfuel.com" has no scheme
      expect(links(this, 'ted-published', '2024-OJS047-00137599.xml')).to.deep.equal({
        documents: null, submission: null, source: 'https://ted.europa.eu/en/notice/-/detail/137599-2024',
      });
      // an award notice has neither documents nor a submission address
      expect(links(this, 'sdk-examples', 'can_24_maximal.xml')).to.deep.equal({ documents: null, submission: null, source: null });
    });

    it('the project fixture, and bad URLs in it', () => {
      const n = noticeInputSchema.parse(parseEforms(LERUM));
      expect(n.links).to.deep.equal({
        documents: 'https://upphandling.example.se/lerum/KS-2026-0042/dokument',
        submission: 'https://upphandling.example.se/lerum/KS-2026-0042/anbud',
        source: null, // not published on TED
      });
      const bad = ['javascript:alert(1)', 'ftp://upphandling.example.se/x', 'https://upphandling.example.se/a b', 'https://10.0.0.1/x', 'https://intranet/x', `https://example.se/${'x'.repeat(2000)}`];
      for (const url of bad) {
        const xml = LERUM.replace('https://upphandling.example.se/lerum/KS-2026-0042/dokument', url);
        expect(noticeInputSchema.parse(parseEforms(xml)).links.documents, url).to.equal(null);
      }
    });
  });

  describe('values the schema checks', () => {
    const parsed = (xml: string) => noticeInputSchema.parse(parseEforms(xml));

    it('an unknown procedure, criterion or NUTS code is left out, and the notice kept', () => {
      const n = parsed(LERUM
        .replace('>open</cbc:ProcedureCode>', '>direktupphandling</cbc:ProcedureCode>')
        .replace('listName="social-objective">opp<', 'listName="social-objective">jobs<')
        .replace('<cbc:CountrySubentityCode listName="nuts">SE232</cbc:CountrySubentityCode>\n                  <cac:Country>', '<cbc:CountrySubentityCode listName="nuts">SE999</cbc:CountrySubentityCode>\n                  <cac:Country>'));
      expect(n.procedure).to.equal(null);
      expect(n.criteria).to.deep.include({ strategic: ['soc-obj'], social: [] });
      expect(n.buyer.nuts).to.equal(null);
      expect(n.placeOfPerformance.nuts).to.deep.equal(['SE232']);
    });

    it('a repeated lot id keeps the first lot', () => {
      const lot = /<cac:ProcurementProjectLot>[\s\S]*<\/cac:ProcurementProjectLot>/.exec(LERUM)![0];
      const n = parsed(LERUM.replace(lot, lot + lot.replace('Lokalvård, förskolor', 'Samma id')));
      expect(n.lots.map((l) => [l.id, l.title])).to.deep.equal([['LOT-0001', 'Lokalvård, förskolor']]);
    });

    it('a dispatch date without a time stays a date; with one it is UTC', () => {
      expect(parsed(LERUM).publishedAt).to.equal('2026-11-20T08:00:00.000Z');
      expect(parsed(LERUM.replace(/<cbc:IssueTime>[^<]*<\/cbc:IssueTime>/, '')).publishedAt).to.equal('2026-11-20');
      expect(parsed(LERUM.replace('<cbc:IssueDate>2026-11-20+01:00', '<cbc:IssueDate>2026-02-30+01:00').replace(/<cbc:IssueTime>[^<]*<\/cbc:IssueTime>/, '')).publishedAt).to.equal(null);
    });

    it('control and bidi characters, written as character references, are cleaned out of texts', () => {
      const n = parsed(LERUM.replace('>Lokalvård i Lerums kommuns förskolor<', '>Lokalvård&#x202E; i Lerums&#x7; kommuns&#xD;&#xA;förskolor<'));
      expect(n.title).to.equal('Lokalvård i Lerums kommuns förskolor');
    });
  });

  describe('hostile and broken input', () => {
    it('rejects an empty or blank document', () => {
      expect(rejection('').reason).to.equal('empty document');
      expect(rejection(' \n\t ').reason).to.equal('empty document');
    });

    it('rejects a DOCTYPE with entities (billion laughs) before parsing', () => {
      const laughs = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE lolz [',
        ' <!ENTITY lol "lol">',
        ' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
        ' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">',
        ']>',
        '<ContractNotice><cbc:Name>&lol2;</cbc:Name></ContractNotice>',
      ].join('\n');
      expect(rejection(laughs).reason).to.match(/^DOCTYPE declaration not allowed/);
    });

    it('rejects an external entity (XXE)', () => {
      const xxe = '<?xml version="1.0"?><!DOCTYPE n [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + '<ContractNotice><cbc:Name>&xxe;</cbc:Name></ContractNotice>';
      expect(rejection(xxe).reason).to.match(/^DOCTYPE declaration not allowed/);
    });

    it('rejects an ENTITY declaration anywhere, and any other DTD markup', () => {
      expect(rejection('<ContractNotice><!ENTITY x "y"></ContractNotice>').reason).to.match(/^ENTITY declaration not allowed/);
      expect(rejection('<ContractNotice><!ELEMENT x ANY></ContractNotice>').reason).to.match(/^markup declaration <!ELEMENT not allowed/);
    });

    it('rejects a real notice cut in half, and at every 97th character', function () {
      const xml = read(this, 'ted-converted', '21-364236-001-EXP.xml');
      expect(rejection(xml.slice(0, xml.length >> 1)).reason).to.match(/^malformed XML: .* is not closed \(truncated document\?\)/);
      for (let cut = 1; cut < xml.length - 1; cut += 97) rejection(xml.slice(0, cut));
    });

    it('rejects mismatched end tags, also those txml lets through', function () {
      const xml = read(this, 'ted-converted', '21-364236-001-EXP.xml');
      // txml itself accepts an end tag that merely contains the element's name
      expect(rejection(xml.replace('</cbc:CityName>', '</cbc:CityNameX>')).reason).to.equal('malformed XML: mismatched end tag for <cbc:CityName>');
      expect(rejection(xml.replace('</cbc:CityName>', '</cbc:City>')).reason).to.match(/^malformed XML/);
      expect(rejection(`${xml}</ContractNotice>`).reason).to.equal('malformed XML: unexpected end tag');
      expect(rejection(`${xml}<x/>`).reason).to.equal('malformed XML: more than one root element');
      expect(rejection(`${xml}trailing text`).reason).to.equal('malformed XML: text outside the root element');
      expect(rejection('<ContractNotice><!-- never closed </ContractNotice>').reason).to.equal('malformed XML: unterminated comment');
    });

    it('accepts what well-formed XML allows around the root', function () {
      const xml = read(this, 'ted-converted', '21-364236-001-EXP.xml');
      const variants = [`\uFEFF${xml}`, `${xml}\n<!-- trailing comment -->\n`, xml.replace('</ContractNotice>', '</ContractNotice >')];
      for (const variant of variants) expect(parseEforms(variant).title).to.equal('Laboratorieinredning Hus 6 och 7 Ångström');
    });

    it('rejects hostile nesting without crashing', () => {
      const deep = `<ContractNotice>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</ContractNotice>`;
      expect(rejection(deep).reason).to.equal('malformed XML: nested too deeply');
    });

    it('rejects a wrong root element', () => {
      expect(rejection('<?xml version="1.0"?><Invoice><cbc:ID>1</cbc:ID></Invoice>').reason)
        .to.match(/^unsupported root element <Invoice>/);
      expect(rejection('<html><body>hello</body></html>').reason).to.match(/^unsupported root element <html>/);
    });

    it('matches elements by local name, whatever the namespace prefix', function () {
      const xml = read(this, 'ted-converted', '21-364236-001-EXP.xml')
        .replace(/(<\/?)cbc:/g, '$1b:')
        .replace(/(<\/?)cac:/g, '$1a:')
        .replace(/(<\/?)ContractNotice\b/g, '$1cn:ContractNotice');
      const n = noticeInputSchema.parse(parseEforms(xml));
      expect(n.title).to.equal('Laboratorieinredning Hus 6 och 7 Ångström');
      expect(n.buyer.orgNumber).to.equal('2021002932');
      expect(n.deadline).to.equal('2021-08-18T22:59:00.000Z');
    });
  });
});
