import { createReadStream, createWriteStream, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { parseOcds, type ParseOcdsOptions } from '../../src/ingest/ocds.ts';
import { RejectedError } from '../../src/ingest/rejected.ts';
import { noticeInputSchema, type NoticeInput } from '../../src/notices/notice.schema.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

type Parsed = { notices: NoticeInput[]; rejected: { rejected: string; ref: string }[] };

/** Every notice goes through the schema, as ingest does: a parser output that fails it is a bug. */
async function collect(input: Readable, options?: ParseOcdsOptions): Promise<Parsed> {
  const out: Parsed = { notices: [], rejected: [] };
  for await (const item of parseOcds(input, options)) {
    if ('notice' in item) out.notices.push(noticeInputSchema.parse(item.notice));
    else out.rejected.push(item);
  }
  return out;
}

const fromText = (text: string | Buffer) => Readable.from([Buffer.from(text)]);
const streamed: ParseOcdsOptions = { wholeDocumentLimit: 0 };

async function rejection(input: () => Readable, options?: ParseOcdsOptions): Promise<RejectedError> {
  try {
    await collect(input(), options);
  } catch (error) {
    if (error instanceof RejectedError) return error;
    throw error;
  }
  throw new Error('expected a RejectedError');
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

describe('OCDS parser', () => {
  let dir: string;
  const file = (...parts: string[]) => createReadStream(join(dir, ...parts));
  const one = async (...parts: string[]) => {
    const { notices } = await collect(file(...parts));
    expect(notices).to.have.length(1);
    return notices[0];
  };

  before(function () {
    dir = requireSharedData(this, 'ocds');
  });

  describe('the shared samples', () => {
    it('parses every file, streamed or whole, with the same result', async () => {
      const outcome = new Map<string, string>();
      for (const path of jsonFiles(dir)) {
        const results = [];
        for (const options of [undefined, streamed]) {
          try {
            results.push(await collect(createReadStream(path), options));
          } catch (error) {
            if (!(error instanceof RejectedError)) throw error;
            results.push(error.reason);
          }
        }
        expect(results[1], path).to.deep.equal(results[0]);
        const r = results[0];
        outcome.set(path.slice(dir.length + 1), typeof r === 'string' ? r : `${r.notices.length} notices`);
      }
      const count = (prefix: string, what: RegExp) =>
        [...outcome].filter(([p, o]) => p.startsWith(prefix) && what.test(o)).length;
      expect(count('fictional-example-1.1/', /^[16] notices$/)).to.equal(8);
      expect(count('uk-contracts-finder-2014/', /^1 notices$/)).to.equal(32);
      // 28 of the 51 Moldovan releases carry no classification at all: nothing to match them on.
      expect(count('moldova-2017/', /^1 notices$/)).to.equal(23);
      expect(count('moldova-2017/', /^no usable release \(first: no CPV at ocds-ngfbwp-\d+ \d+\)$/)).to.equal(28);
    });

    it('maps a tender release (fictional example, stage 2)', async () => {
      const n = await one('fictional-example-1.1', 'ocds-213czf-000-00001-02-tender.json');
      expect(n).to.deep.include({
        source: 'ocds',
        sourceId: 'ocds-213czf-000-00001',
        procedureId: 'ocds-213czf-000-00001',
        version: '20100315T093000Z',
        kind: 'tender',
        title: 'Planned cycle lane improvements',
        language: 'en',
        // "45233130.0" (a spreadsheet artefact) and "45233162-2" (with check digit)
        cpv: { main: '45233130', additional: ['45233162'] },
        estimatedValue: { amount: 1_100_000, currency: 'GBP' },
        publishedAt: '2010-03-15T09:30:00.000Z',
        deadline: '2010-04-01T18:00:00.000Z',
        procedure: 'open',
        awards: [],
        links: {
          documents: null, // only the tender notice is published
          // submissionMethodDetails is a sentence with a URL in it, not a URL: not guessed at
          submission: null,
          source: 'http://example.com/tender-notices/ocds-213czf-000-00001-01.html',
        },
      });
      expect(n.buyer).to.deep.equal({ name: 'London Borough of Barnet', orgNumber: null, nuts: null });
    });

    it('follows the six stages of one procedure under one ocid', async () => {
      const { notices } = await collect(file('fictional-example-1.1', 'ocds-213czf-000-00001.json'));
      expect(notices.map((n) => n.sourceId)).to.deep.equal(Array(6).fill('ocds-213czf-000-00001'));
      expect(notices.map((n) => n.kind)).to.deep.equal(['planning', 'tender', 'change', 'award', 'award', 'award']);
      const versions = notices.map((n) => n.version!);
      expect(versions).to.deep.equal([...versions].sort()).and.to.have.length(new Set(versions).size);
      // The amendment moved the deadline by a week.
      expect(notices[2].deadline).to.equal('2010-04-08T18:00:00.000Z');
      // Stage 4's award is still "pending": no winner yet.
      expect(notices[3].awards).to.deep.equal([]);
      // Stages 5 and 6 have no tender section: title and CPV come from the award.
      expect(notices[4].title).to.equal('Award of contract to build new cycle lanes in the centre of town.');
      expect(notices[4].cpv).to.deep.equal({ main: '45233130', additional: ['45233162'] });
      expect(notices[4].awards).to.deep.equal([
        {
          lotId: null,
          winner: { name: 'AnyCorp Cycle Provision', orgNumber: '11111111.0', size: null, nuts: null, postalCode: 'AA1 1AA' },
          value: { amount: 11_000_000, currency: 'GBP' },
          tendersReceived: null,
        },
      ]);
    });

    it('uses the compiled release of a record package', async () => {
      const n = await one('fictional-example-1.1', 'record', 'ocds-213czf-000-00001.json');
      expect(n).to.deep.include({ kind: 'award', version: '20110110T093000Z', deadline: '2010-04-08T18:00:00.000Z' });
      expect(n.awards.map((a) => [a.winner.name, a.tendersReceived])).to.deep.equal([['AnyCorp Cycle Provision', 2]]);
    });

    it('maps dirty Moldovan data: check digits, empty amounts, lower-case currency, language md', async () => {
      const n = await one('moldova-2017', 'releases', 'ocds-ngfbwp-16949496-16949496.json');
      expect(n).to.deep.include({
        kind: 'award', // tagged tender+award+contract, and it has an award
        language: 'ro',
        title: 'Tender Ref 16/03822 Bulletin 1',
        description: null, // ""
        cpv: { main: '50720000', additional: [] }, // "50720000-8", from the award's items
        estimatedValue: null, // {"amount": "", "currency": ""}
        publishedAt: '2017-01-03T00:00:00.000Z',
        deadline: '2017-01-17T10:00:00.000Z',
        procedure: null, // "Cerere a ofertelor de preţuri": a national name, not an OCDS method
        links: { documents: null, submission: null, source: null }, // a document without a url
      });
      expect(n.buyer.name).to.equal('DETS  RÎŞCANI');
      expect(n.awards).to.deep.equal([
        {
          lotId: null,
          winner: { name: 'S.C. ELINATCONS S.R.L.', orgNumber: null, size: null, nuts: null, postalCode: null },
          value: { amount: 203179.71, currency: 'MDL' },
          tendersReceived: null,
        },
      ]);
    });

    it('keeps one award per supplier (Moldova, seven suppliers)', async () => {
      const two = await one('moldova-2017', 'releases', 'ocds-ngfbwp-17180016-17180016.json');
      expect(two.buyer.name).to.equal('I.M.S.P. INSTITUTUL MAMEI ŞI COPILULUI');
      expect(two.cpv.main).to.equal('38420000');
      expect(two.awards.map((a) => [a.winner.name, a.value])).to.deep.equal([
        ['MOLDAN-SERVICE S.R.L.', { amount: 144708, currency: 'MDL' }],
        ['Î.C.S. EYECON MEDICAL S.R.L.', { amount: 53922, currency: 'MDL' }],
      ]);
      const seven = await one('moldova-2017', 'releases', 'ocds-ngfbwp-18610708-18610708.json');
      expect(seven).to.deep.include({ procedure: null, deadline: '2017-04-18T10:00:00.000Z' });
      expect(seven.awards).to.have.length(7);
      expect(seven.awards[6].winner.name).to.equal('FABRICA OLOI PAK S.R.L.');
      expect(seven.awards.reduce((sum, a) => sum + a.value!.amount, 0)).to.be.closeTo(1_649_776.06, 0.001);
    });

    it('maps a UK 2014 release with the buyer inline and several items', async () => {
      const n = await one(
        'uk-contracts-finder-2014',
        'releases',
        'ocds-b5fd17-2c470411-adc8-11e6-9901-0019b9f3037b-ocds-b5fd17-2c470411-adc8-11e6-9901-0019b9f3037b-59438-dcc-9q5h-gs44aq.json',
      );
      expect(n).to.deep.include({
        kind: 'tender',
        language: 'en', // en-GB
        title: 'CP1093-14 Connecting Devon and Somerset Superfast Extension Programme', // trimmed
        cpv: { main: '32000000', additional: ['64000000', '72000000'] }, // each once: the first is main
        estimatedValue: { amount: 600_000, currency: 'GBP' },
        deadline: '2015-01-31T00:00:00.000Z',
        procedure: null,
      });
      expect(n.buyer).to.deep.equal({ name: 'Spend Network', orgNumber: null, nuts: null });
    });

    it('maps a UK record through its compiled release and skips versionedRelease', async () => {
      const n = await one('uk-contracts-finder-2014', 'records', 'ocds-b5fd17-2c3aae9c-adc8-11e6-9901-0019b9f3037b.json');
      expect(n).to.deep.include({
        sourceId: 'ocds-b5fd17-2c3aae9c-adc8-11e6-9901-0019b9f3037b',
        kind: 'tender', // tag "compiled": classified by content
        title: 'Framework for Provision of Community Based Services',
        cpv: { main: '85000000', additional: ['98000000'] },
        estimatedValue: { amount: 24_477_500, currency: 'GBP' },
        deadline: '2018-01-31T00:00:00.000Z',
      });
    });
  });

  describe('synthetic releases', () => {
    const release = (extra: Record<string, unknown> = {}) => ({
      ocid: 'ocds-test-1',
      id: 'r1',
      date: '2024-05-02T08:00:00+02:00',
      tag: ['tender'],
      language: 'sv',
      parties: [{ id: 'B', name: 'Lerums kommun', roles: ['buyer'], identifier: { scheme: 'SE-ORG', id: '212000-1447' } }],
      buyer: { id: 'B', name: 'Lerums kommun' },
      tender: {
        title: 'Snöröjning',
        items: [
          { id: '1', relatedLot: 'L1', classification: { scheme: 'cpv', id: '90620000' } },
          { id: '2', relatedLot: 'L2', classification: { scheme: 'CPV', id: '90630000-2' } },
          { id: '3', relatedLot: 'L2', classification: { scheme: 'CPV', id: '90620000' } },
          { id: '4', classification: { scheme: 'UNSPSC', id: '72102900' } },
        ],
        lots: [
          { id: 'L1', title: 'Norr', value: { amount: '250000', currency: 'sek' } },
          { id: 'L2', title: 'Söder' },
        ],
        value: { amount: 'unknown', currency: 'SEK' },
        procurementMethod: 'selective',
        tenderPeriod: { endDate: '2024-06-01' },
        sustainability: [{ goal: 'environmental.wasteReduction' }, { goal: 'social' }],
        otherRequirements: { reservedParticipation: ['shelteredWorkshop'] },
      },
      ...extra,
    });
    const pkg = (releases: unknown[]) => JSON.stringify({ uri: 'x', publishedDate: '2024-05-02T00:00:00Z', releases });

    it('maps a Swedish buyer, lots, procedure and CSR signals', async () => {
      for (const options of [undefined, streamed]) {
        const { notices } = await collect(fromText(pkg([release()])), options);
        const n = notices[0];
        expect(n.buyer.orgNumber).to.equal('2120001447');
        expect(n.language).to.equal('sv');
        expect(n.publishedAt).to.equal('2024-05-02T06:00:00.000Z');
        expect(n.deadline).to.equal('2024-06-01T00:00:00.000Z');
        expect(n.cpv).to.deep.equal({ main: '90620000', additional: ['90630000'] }); // 2 of 3, UNSPSC ignored
        expect(n.estimatedValue).to.equal(null); // non-numeric amount
        expect(n.procedure).to.equal('restricted');
        expect(n.lots).to.deep.equal([
          { id: 'L1', title: 'Norr', cpv: { main: '90620000', additional: [] }, estimatedValue: { amount: 250000, currency: 'SEK' } },
          { id: 'L2', title: 'Söder', cpv: { main: '90630000', additional: ['90620000'] }, estimatedValue: null },
        ]);
        expect(n.criteria).to.deep.include({ strategic: ['env-imp', 'soc-obj'], reserved: ['res-ws'] });
      }
    });

    it('leaves an invalid or foreign buyer identifier out', async () => {
      const bad = release({ parties: [{ id: 'B', name: 'X', roles: ['buyer'], identifier: { scheme: 'SE-ORG', id: '212000-1448' } }] });
      const foreign = release({ parties: [{ id: 'B', name: 'X', roles: ['buyer'], identifier: { scheme: 'GB-COH', id: '2120001447' } }] });
      const { notices } = await collect(fromText(pkg([bad, foreign])));
      expect(notices.map((n) => n.buyer.orgNumber)).to.deep.equal([null, null]);
    });

    it('maps active awards, supplier scale and a Swedish supplier orgnr', async () => {
      const awarded = release({
        tag: ['tender', 'award'],
        parties: [
          { id: 'B', name: 'Lerums kommun', roles: ['buyer'] },
          { id: 'S1', name: 'Snö AB', roles: ['supplier'], identifier: { scheme: 'se-org', id: '5560360793' }, details: { scale: 'sme' } },
          { id: 'S2', name: 'Plog & Son', roles: ['supplier'], details: { scale: 'micro' } },
        ],
        awards: [
          { id: 'a1', status: 'active', relatedLots: ['L1'], suppliers: [{ id: 'S1' }], value: { amount: 240000, currency: 'SEK' } },
          { id: 'a2', status: 'pending', suppliers: [{ id: 'S2' }] },
          { id: 'a3', status: 'active', relatedLots: ['L2'], suppliers: [{ id: 'S1' }, { id: 'S2' }], value: { amount: 1, currency: 'SEK' } },
        ],
      });
      const [n] = (await collect(fromText(pkg([awarded])))).notices;
      expect(n.kind).to.equal('award');
      expect(n.awards.map((a) => [a.lotId, a.winner.name, a.winner.orgNumber, a.winner.size, a.value?.amount ?? null])).to.deep.equal([
        ['L1', 'Snö AB', '5560360793', 'small', 240000],
        ['L2', 'Snö AB', '5560360793', 'small', null], // a shared value is not split
        ['L2', 'Plog & Son', null, 'micro', null],
      ]);
    });

    it('picks the kind from several tags', async () => {
      const kinds = [
        [['planning'], {}],
        [['tender', 'tenderAmendment'], {}],
        [['tender', 'award', 'contract'], {}], // no awards in the release
        [['awardUpdate'], {}],
        [['compiled'], { awards: [{ id: 'a', status: 'active', suppliers: [{ name: 'X AB' }] }] }],
      ] as const;
      const releases = kinds.map(([tag, extra], i) => release({ ...extra, tag, id: `r${i}` }));
      const { notices } = await collect(fromText(pkg(releases)));
      expect(notices.map((n) => n.kind)).to.deep.equal(['planning', 'change', 'tender', 'change', 'award']);
    });

    it('rejects a bad release inside a package and keeps the rest', async () => {
      const noCpv = release({ id: 'r2', tender: { title: 'Ingen CPV', items: [{ classification: { scheme: 'CPV', id: '99999999' } }] } });
      const noTitle = release({ id: 'r3', tender: { items: [{ classification: { scheme: 'CPV', id: '90620000' } }] } });
      const noBuyer = release({ id: 'r4', parties: [], buyer: undefined });
      for (const options of [undefined, streamed]) {
        const out = await collect(fromText(pkg([release(), noCpv, 42, noTitle, noBuyer, { id: 'x' }])), options);
        expect(out.notices).to.have.length(1);
        expect(out.rejected).to.deep.equal([
          { rejected: 'no CPV', ref: 'ocds-test-1 r2' },
          { rejected: 'not a release object', ref: 'releases[2]' },
          { rejected: 'no title', ref: 'ocds-test-1 r3' },
          { rejected: 'no buyer', ref: 'ocds-test-1 r4' },
          { rejected: 'no ocid', ref: 'releases[5]' },
        ]);
      }
    });

    it('reads links from tender.documents and submissionMethodDetails, dropping unusable URLs', async () => {
      const tender = (extra: Record<string, unknown>) => release({ tender: { ...release().tender, ...extra } });
      const documents = [
        { id: 'd1', documentType: 'tenderNotice', url: 'https://www.example.se/annonser/KS-2026-42' },
        { id: 'd2', documentType: 'technicalSpecifications', url: 'https://www.example.se/KS-2026-42/krav.pdf' },
        { id: 'd3', documentType: 'biddingDocuments', url: 'javascript:alert(1)' },
        { id: 'd4', documentType: 'biddingDocuments', url: 'https://www.example.se/KS-2026-42/underlag' },
      ];
      const releases = [
        tender({ documents, submissionMethodDetails: ' https://www.example.se/KS-2026-42/anbud ' }),
        tender({ documents: documents.slice(0, 3), submissionMethodDetails: 'Via https://www.example.se/anbud' }),
        tender({ documents: [{ documentType: 'tenderNotice', url: 'https://www.example.se/a\u202eb' }, { documentType: 'biddingDocuments' }] }),
      ];
      const { notices } = await collect(fromText(pkg(releases.map((r, i) => ({ ...r, id: `r${i}` })))));
      expect(notices.map((n) => n.links)).to.deep.equal([
        {
          documents: 'https://www.example.se/KS-2026-42/underlag',
          submission: 'https://www.example.se/KS-2026-42/anbud',
          source: 'https://www.example.se/annonser/KS-2026-42',
        },
        // no usable bidding documents: the specification is the next best; a sentence is no URL
        { documents: 'https://www.example.se/KS-2026-42/krav.pdf', submission: null, source: 'https://www.example.se/annonser/KS-2026-42' },
        { documents: null, submission: null, source: null },
      ]);
    });

    it('maps procurement methods onto eForms procedure types; unknown ones are left out', async () => {
      const methods = ['open', 'selective', 'limited', 'direct', 'Licitaţie publică', 'negotiated'];
      const releases = methods.map((m, i) => release({ id: `r${i}`, tender: { ...release().tender, procurementMethod: m } }));
      const { notices } = await collect(fromText(pkg(releases)));
      expect(notices.map((n) => n.procedure)).to.deep.equal(['open', 'restricted', 'neg-wo-call', 'neg-wo-call', null, null]);
    });

    it('keeps the first of two lots with one id, and a release date without a time as a date', async () => {
      const twice = release({ date: '2024-05-02', tender: { ...release().tender, lots: [{ id: 'L1', title: 'Norr' }, { id: 'L1', title: 'Igen' }] } });
      const [n] = (await collect(fromText(pkg([twice])))).notices;
      expect(n.lots.map((l) => [l.id, l.title])).to.deep.equal([['L1', 'Norr']]);
      expect(n.publishedAt).to.equal('2024-05-02');
      expect(n.version).to.equal('20240502T000000Z'); // versions still sort by the full date
    });

    it('reads bare releases, bare records and record packages', async () => {
      const r = release();
      const linked = { url: 'http://x/1', date: r.date, tag: ['tender'] };
      const record = { ocid: r.ocid, releases: [linked], compiledRelease: r };
      const embedded = { ocid: r.ocid, releases: [r, { ...r, id: 'r2' }] };
      const onlyLinked = { ocid: r.ocid, releases: [linked] };
      // The usual order (UK 2014: versionedRelease, releases, compiledRelease) tells a record early.
      const ukOrder = { versionedRelease: { x: [1] }, releases: [r, { ...r, id: 'r2' }], compiledRelease: r };
      // Releases before any record key: a stream cannot know yet, so it yields them and then the compiled release.
      const releasesFirst = { releases: [r, { ...r, id: 'r2' }], compiledRelease: r };
      const cases: [string, unknown, number, number][] = [
        ['bare release', r, 1, 1],
        ['record with linked releases', record, 1, 1],
        ['record with embedded releases only', embedded, 2, 2],
        ['record in UK order', ukOrder, 1, 1],
        ['record with releases first', releasesFirst, 1, 3],
        ['record package', { uri: 'x', records: [record, embedded, onlyLinked] }, 3, 3],
        ['top-level array', [r, record], 2, 2],
      ];
      for (const [name, doc, whole, stream] of cases) {
        expect((await collect(fromText(JSON.stringify(doc)))).notices, name).to.have.length(whole);
        expect((await collect(fromText(JSON.stringify(doc)), streamed)).notices, name).to.have.length(stream);
      }
      const { rejected } = await collect(fromText(JSON.stringify({ uri: 'x', records: [record, onlyLinked] })));
      expect(rejected).to.deep.equal([{ rejected: 'record has neither compiledRelease nor embedded releases', ref: 'records[1]' }]);
    });
  });

  describe('hostile input', () => {
    const good = () => readFileSync(join(dir, 'fictional-example-1.1', 'ocds-213czf-000-00001.json'));

    for (const [name, options] of [['whole', undefined], ['streamed', streamed]] as const) {
      it(`rejects malformed and truncated JSON (${name})`, async () => {
        const truncated = good().subarray(0, 20_000);
        expect((await rejection(() => fromText(truncated), options)).reason).to.match(/^malformed JSON: /);
        expect((await rejection(() => fromText('{"releases": [{"ocid": "x",, }]}'), options)).reason).to.match(/^malformed JSON: /);
        expect((await rejection(() => fromText(`${good()}\n{}`), options)).reason).to.match(/^malformed JSON: /);
        expect((await rejection(() => fromText(''), options)).reason).to.equal('malformed JSON: empty input');
        expect((await rejection(() => fromText(' \n '), options)).reason).to.equal('malformed JSON: empty input');
      });

      it(`rejects JSON that is not OCDS (${name})`, async () => {
        for (const doc of ['{"hello": "world", "items": [1, 2]}', '[1, 2, 3]', '"release"', '42', '{"releases": "none"}']) {
          expect((await rejection(() => fromText(doc), options)).reason, doc).to.match(/^not OCDS: /);
        }
        expect((await rejection(() => fromText('{"uri": "x", "releases": []}'), options)).reason).to.equal('no usable release (no releases)');
      });
    }

    it('accepts a byte-order mark and chunks split inside a character', async () => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(dir, 'moldova-2017', 'releases', 'ocds-ngfbwp-16949496-16949496.json'))]);
      const oneByteChunks = Readable.from((function* () {
        for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
      })());
      const { notices } = await collect(oneByteChunks, streamed);
      expect(notices[0].buyer.name).to.equal('DETS  RÎŞCANI');
    });
  });

  describe('a large release package', function () {
    this.timeout(180_000);
    let tmp: string;
    let path: string;
    const COUNT = 50_000;

    before(async () => {
      tmp = await mkdtemp(join(tmpdir(), 'brygga-ocds-'));
      path = join(tmp, 'big.json');
      const template = JSON.parse(readFileSync(join(dir, 'fictional-example-1.1', 'ocds-213czf-000-00001-02-tender.json'), 'utf8')).releases[0];
      const out = createWriteStream(path);
      out.write('{"uri":"x","publishedDate":"2024-01-01T00:00:00Z","releases":[\n');
      for (let i = 0; i < COUNT; i += 1000) {
        const batch = [];
        for (let k = i; k < i + 1000; k++) batch.push(JSON.stringify({ ...template, ocid: `ocds-big-${k}`, id: `r${k}` }));
        if (!out.write((i ? ',\n' : '') + batch.join(',\n'))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      out.end('\n]}\n');
      await new Promise<void>((resolve) => out.on('close', () => resolve()));
    });

    after(() => rmSync(tmp, { recursive: true, force: true }));

    it('streams 50k releases with flat memory', async () => {
      const size = statSync(path).size;
      expect(size).to.be.greaterThan(120e6); // more than the heap bound below
      global.gc?.();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      let count = 0;
      let firstAt = -1;
      const input = createReadStream(path);
      for await (const item of parseOcds(input)) {
        if (!('notice' in item)) throw new Error(item.rejected);
        if (count === 0) firstAt = input.bytesRead;
        // What the parser keeps alive, not garbage V8 has yet to collect (other tests leave plenty).
        if (++count % 1000 === 0) {
          global.gc?.();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
        if (count === COUNT) expect(item.notice.sourceId).to.equal(`ocds-big-${COUNT - 1}`);
      }
      expect(count).to.equal(COUNT);
      expect(firstAt).to.be.below(size / 10); // the first notice came long before the end of the file
      expect(peak).to.be.below(100e6);
    });
  });
});
