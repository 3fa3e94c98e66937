import { expect } from 'chai';
import { setCpvLabels } from '../../src/domain/cpv.ts';
import type { HeldCapability } from '../../src/domain/csr.ts';
import { parseKeywords, Words } from '../../src/domain/keywords.ts';
import {
  asksProfile, bestCpvHit, bestPerCompany, candidateCategories, cpvCandidates, cpvHit, cpvReason, evaluate, profileCapabilities, profileOutcome, scoreCpvHit,
  type MatchCriteria, type MatchNotice, type MatchResult, type MatchSubscription, type NoticeCode,
} from '../../src/domain/match.ts';

// Certificates are compared with this day; validUntil the same day is still in force.
const TODAY = '2026-11-27';

const proc = (code: string, isMain = true): NoticeCode => ({ code, lotId: null, isMain });
const lot = (lotId: string, code: string, isMain = true): NoticeCode => ({ code, lotId, isMain });
const cap = (capability: string, validUntil: string | null = null): HeldCapability => ({ capability, validUntil });

function sub(overrides: Partial<MatchSubscription> & { capabilities?: HeldCapability[] } = {}): MatchSubscription {
  const { capabilities = [], ...rest } = overrides;
  return {
    id: 's1',
    company: { id: 'c1', municipalityCode: '1441', capabilities },
    cpv: ['45214200'],
    includeParent: false,
    keywords: null,
    regions: [],
    minValue: null,
    maxValue: null,
    kinds: [],
    procedures: [],
    onlyCsr: false,
    strict: false,
    ...rest,
  };
}

function notice(overrides: Omit<Partial<MatchNotice>, 'criteria'> & { criteria?: Partial<MatchCriteria> } = {}): MatchNotice {
  const { criteria, ...rest } = overrides;
  return {
    id: 'n1',
    kind: 'tender',
    codes: [proc('45214200')],
    words: Words.of('Nybyggnation av Hulanskolan, Lerums kommun'),
    place: { municipalities: ['1441'], nuts: ['SE232'] },
    value: { amount: 40_000_000, currency: 'SEK' },
    procedure: 'open',
    ...rest,
    criteria: { strategic: [], social: [], green: [], gpp: [], reserved: [], smeSuitable: null, requirements: [], ...criteria },
  };
}

const run = (n: MatchNotice, s: MatchSubscription, today = TODAY) => evaluate(n, s, today);
const codesOf = (r: MatchResult | null) => r?.reasons.map((reason) => reason.code);

describe('match rules', () => {
  describe('CPV', () => {
    it('a notice in the firm’s own category matches with the top score', () => {
      expect(run(notice(), sub())).to.deep.equal({
        subscriptionId: 's1',
        companyId: 'c1',
        score: 100,
        reasons: [
          {
            code: 'cpv',
            sv: '45214200 är en av era kategorier (Bygg- och anläggningsarbeten)',
            en: '45214200 is one of your categories (Construction work)',
          },
        ],
        missing: [],
      });
    });

    it('a notice below the category matches, five points less per level between them', () => {
      const score = (category: string, code = '45214200') => run(notice({ codes: [proc(code)] }), sub({ cpv: [category] }))?.score;
      expect(score('45214000')).to.equal(95);
      expect(score('45210000')).to.equal(90);
      expect(score('45200000')).to.equal(85);
      expect(score('45000000')).to.equal(80);
      // 45214210 (primary school) is one level below 45214200 (school buildings).
      expect(score('45214200', '45214210')).to.equal(95);
      expect(bestCpvHit([proc('45214210')], ['45214200'])).to.include({ kind: 'direct', distance: 1 });

      const reason = run(notice(), sub({ cpv: ['45210000'] }))!.reasons[0];
      expect(reason).to.deep.equal({
        code: 'cpv',
        sv: '45214200 ingår i er kategori 45210000 (Bygg- och anläggningsarbeten)',
        en: '45214200 is within your category 45210000 (Construction work)',
      });
    });

    it('siblings and other divisions do not match', () => {
      expect(run(notice({ codes: [proc('45215000')] }), sub())).to.equal(null);
      expect(run(notice({ codes: [proc('90911200')] }), sub({ cpv: ['45000000'] }))).to.equal(null);
      expect(run(notice({ codes: [proc('45214100')] }), sub({ cpv: ['45214200'] }))).to.equal(null);
    });

    it('a notice coded broadly still reaches firms with finer categories, with a lower score (cpv-broad)', () => {
      const result = run(notice({ codes: [proc('45000000')] }), sub({ cpv: ['45214200'] }))!;
      expect(result.score).to.equal(50);
      expect(result.reasons[0]).to.deep.equal({
        code: 'cpv-broad',
        sv: 'Köparen har angett den breda koden 45000000 Bygg- och anläggningsarbeten, som omfattar er kategori 45214200',
        en: 'The buyer used the broad code 45000000 Construction work, which covers your category 45214200',
      });
      // The nearer the buyer's code to the category, the better, but always below a direct match.
      expect(run(notice({ codes: [proc('45214000')] }), sub())!.score).to.equal(65);
      expect(run(notice({ codes: [proc('45210000')] }), sub())!.score).to.equal(60);
      expect(run(notice({ codes: [proc('90000000')] }), sub({ cpv: ['90911200'] }))!.reasons[0].code).to.equal('cpv-broad');
    });

    it('includeParent also matches one level up (cpv-parent), and not without the option', () => {
      // Snow clearing (90620000) under 90600000: ice clearing (90630000) is a sibling.
      const iceClearing = notice({ codes: [proc('90630000')], words: Words.of('Isröjning av gång- och cykelvägar') });
      expect(run(iceClearing, sub({ cpv: ['90620000'] }))).to.equal(null);
      const result = run(iceClearing, sub({ cpv: ['90620000'], includeParent: true }))!;
      expect(result.score).to.equal(70);
      expect(result.reasons[0]).to.deep.equal({
        code: 'cpv-parent',
        sv: '90630000 ligger en nivå ovanför er kategori 90620000 (Avlopp, avfall, städning och miljö)',
        en: '90630000 is one level above your category 90620000 (Sewage, waste, cleaning and environment)',
      });
      // A notice coded at the parent itself: one level up with the option, broad without it.
      const parentCoded = notice({ codes: [proc('90600000')] });
      expect(run(parentCoded, sub({ cpv: ['90620000'], includeParent: true }))!.reasons[0].code).to.equal('cpv-parent');
      expect(run(parentCoded, sub({ cpv: ['90620000'] }))!.reasons[0].code).to.equal('cpv-broad');
      expect(run(parentCoded, sub({ cpv: ['90620000'], includeParent: true }))!.reasons[0].code).to.equal('cpv-parent');
      // Two levels up (cleaning services, 90910000) is not a neighbour.
      expect(run(notice({ codes: [proc('90910000')] }), sub({ cpv: ['90620000'], includeParent: true }))).to.equal(null);
    });

    it('a match in a lot names the lot; the procedure-level code explains first', () => {
      const codes = [proc('45214200'), lot('LOT-0001', '45214200'), lot('LOT-0002', '90911200'), lot('LOT-0003', '55520000')];
      const catering = run(notice({ codes }), sub({ cpv: ['55520000'] }))!;
      expect(catering.score).to.equal(100);
      expect(catering.reasons[0]).to.deep.equal({
        code: 'cpv',
        sv: '55520000 i delområdet ”LOT-0003” är en av era kategorier (Hotell, restaurang och detaljhandel)',
        en: '55520000 in the lot “LOT-0003” is one of your categories (Hotels, restaurants and retail)',
      });
      expect(run(notice({ codes }), sub({ cpv: ['45210000'] }))!.reasons[0].sv).not.to.include('delområde');
      expect(bestCpvHit([proc('45331000', false), lot('LOT-0002', '45310000'), proc('45214200')], ['45000000'])!.noticeCode).to.equal('45214200');
    });

    it('candidate categories are the notice codes and all their ancestors', () => {
      expect(candidateCategories([proc('45214200')]).sort()).to.deep.equal(['45000000', '45200000', '45210000', '45214000', '45214200']);
    });

    it('the candidate codes of categories: within each (and its parent when asked), or one of its ancestors', () => {
      expect(cpvCandidates(['45214200'], false)).to.deep.equal({
        ranges: [{ from: '45214200', to: '45214299' }],
        codes: ['45000000', '45200000', '45210000', '45214000'],
      });
      // The parent's range takes the category's; a category inside another adds nothing; ancestors inside a range are dropped.
      expect(cpvCandidates(['45214200', '45214210', '90911200'], true)).to.deep.equal({
        ranges: [{ from: '45214000', to: '45214999' }, { from: '90911000', to: '90911999' }],
        codes: ['45000000', '45200000', '45210000', '90000000', '90900000', '90910000'],
      });
      expect(cpvCandidates(['45000000'], true)).to.deep.equal({ ranges: [{ from: '45000000', to: '45999999' }], codes: [] });
      expect(cpvCandidates([], false)).to.deep.equal({ ranges: [], codes: [] });
    });

    it('every code that meets a category is a candidate of it, and no other is', () => {
      // Every pair of real codes at every level, both ways, with and without the parent.
      const codes = [...new Set(['03000000', '30000000', '30200000', '45000000', '45200000', '45210000', '45214000', '45214200', '45214210',
        '45214220', '45214300', '45216000', '45300000', '90911200', '90911300', '90910000', '90900000', '90000000', '90600000'])];
      const inside = (code: string, c: ReturnType<typeof cpvCandidates>) => c.codes.includes(code) || c.ranges.some((r) => code >= r.from && code <= r.to);
      for (const includeParent of [false, true]) {
        for (const category of codes) {
          const candidates = cpvCandidates([category], includeParent);
          for (const code of codes) {
            expect(inside(code, candidates), `${code} for ${category}${includeParent ? ' with parent' : ''}`)
              .to.equal(cpvHit(code, category, includeParent, null) !== null);
          }
        }
      }
    });

    it('scores never leave 1–100 and follow the hit kind', () => {
      expect(scoreCpvHit({ kind: 'direct', noticeCode: '45214200', category: '45214200', lotId: null, distance: 0 })).to.equal(100);
      expect(scoreCpvHit({ kind: 'parent', noticeCode: '90630000', category: '90620000', lotId: null, distance: 1 })).to.equal(70);
      expect(scoreCpvHit({ kind: 'broad', noticeCode: '45000000', category: '45214210', lotId: null, distance: 5 })).to.equal(45);
      const many = notice({ criteria: { requirements: ['iso-14001', 'iso-9001', 'iso-27001', 'svanen', 'fairtrade', 'organic', 'eu-ecolabel', 'fossil-free-transport', 'collective-agreement', 'employment-requirement'] } });
      expect(run({ ...many, codes: [proc('45000000')] }, sub())!.score).to.equal(1);
    });
  });

  describe('reserved procurement (res-ws)', () => {
    const reserved = notice({ codes: [proc('90911200')], criteria: { reserved: ['res-ws'] } });

    it('matches work-integration social enterprises and sheltered workshops', () => {
      for (const capability of ['wise', 'sheltered-employment']) {
        const result = run(reserved, sub({ cpv: ['90000000'], capabilities: [cap(capability)] }))!;
        expect(result.score).to.equal(80 + 10);
        expect(result.reasons[1]).to.deep.equal({
          code: 'reserved-eligible',
          sv: 'Reserverad för arbetsintegrerande sociala företag och skyddade verkstäder – ni uppfyller villkoret',
          en: 'Reserved for work-integration social enterprises and sheltered workshops – you qualify',
        });
      }
    });

    it('never reaches other firms, whatever else they offer', () => {
      expect(run(reserved, sub({ cpv: ['90911200'] }))).to.equal(null);
      const other = [cap('collective-agreement'), cap('employs-far-from-labour-market'), cap('iso-14001')];
      expect(run(reserved, sub({ cpv: ['90911200'], capabilities: other }))).to.equal(null);
    });
  });

  describe('requirements', () => {
    const withReqs = notice({ codes: [proc('90911200')], criteria: { requirements: ['collective-agreement', 'iso-14001'] } });

    it('a requirement the firm lacks is explained and listed as missing; the notice is still shown', () => {
      const result = run(withReqs, sub({ cpv: ['90911200'], capabilities: [cap('collective-agreement')] }))!;
      expect(result.missing).to.deep.equal(['iso-14001']);
      expect(result.reasons.slice(1)).to.deep.equal([
        { code: 'requirement-met', sv: 'Kräver Kollektivavtalsenliga villkor – finns i er profil', en: 'Requires Terms in line with collective agreements – in your profile' },
        { code: 'requirement-missing', sv: 'Kräver ISO 14001 eller EMAS – saknas i er profil', en: 'Requires ISO 14001 or EMAS – missing from your profile' },
      ]);
      expect(result.score).to.equal(100 + 5 - 10);
    });

    it('strict hides a notice with a missing requirement, and only then', () => {
      expect(run(withReqs, sub({ cpv: ['90911200'], strict: true, capabilities: [cap('collective-agreement')] }))).to.equal(null);
      const all = [cap('collective-agreement'), cap('emas', '2027-03-31')];
      expect(run(withReqs, sub({ cpv: ['90911200'], strict: true, capabilities: all }))).to.include({ score: 100 });
      expect(run(notice(), sub({ strict: true }))).not.to.equal(null);
    });

    it('an expired certificate counts as missing; one valid today counts', () => {
      const fossilFree = notice({ codes: [proc('90620000')], criteria: { requirements: ['iso-14001', 'fossil-free-transport'] } });
      const missing = (capabilities: HeldCapability[]) => run(fossilFree, sub({ cpv: ['90620000'], capabilities }))!.missing;
      expect(missing([cap('iso-14001', '2026-11-26'), cap('fossil-free-transport')])).to.deep.equal(['iso-14001']);
      expect(missing([cap('iso-14001', TODAY), cap('fossil-free-transport')])).to.deep.equal([]);
      expect(missing([cap('iso-14001', '2029-01-31')])).to.deep.equal(['fossil-free-transport']);
      expect(missing([cap('iso-14001', null)])).to.deep.equal(['fossil-free-transport']);
      // Strict follows the same day: tomorrow the certificate has lapsed.
      const strict = sub({ cpv: ['90620000'], strict: true, capabilities: [cap('iso-14001', TODAY), cap('fossil-free-transport')] });
      expect(run(fossilFree, strict, TODAY)).not.to.equal(null);
      expect(run(fossilFree, strict, '2026-11-28')).to.equal(null);
    });
  });

  it('social and environmental criteria the firm meets raise the score (at most three count)', () => {
    const criteria = { strategic: ['soc-obj', 'env-imp'], social: ['opp', 'work-cond'], green: ['circ-econ'] };
    const firm = [cap('collective-agreement'), cap('iso-14001', '2027-12-31')];
    const plain = run(notice(), sub({ cpv: ['45000000'], capabilities: firm }))!;
    const withCriteria = run(notice({ criteria }), sub({ cpv: ['45000000'], capabilities: firm }))!;
    const without = run(notice({ criteria }), sub({ cpv: ['45000000'] }))!;
    expect(plain.score).to.equal(80);
    expect(without.score).to.equal(80);
    expect(withCriteria.score).to.equal(80 + 3 * 4);
    expect(withCriteria.reasons.slice(1)).to.deep.equal([
      {
        code: 'objective-met',
        sv: 'Upphandlingen prioriterar social hållbarhet – er profil: Kollektivavtal',
        en: 'The buyer prioritises social objectives – your profile: Collective agreement',
      },
      {
        code: 'objective-met',
        sv: 'Upphandlingen prioriterar minskad miljöpåverkan – er profil: ISO 14001-certifierad',
        en: 'The buyer prioritises reduced environmental impact – your profile: ISO 14001 certified',
      },
      {
        code: 'objective-met',
        sv: 'Upphandlingen prioriterar rättvisa arbetsvillkor – er profil: Kollektivavtal',
        en: 'The buyer prioritises fair working conditions – your profile: Collective agreement',
      },
    ]);
    // Jobs for people far from the labour market: a work-integration enterprise speaks to it.
    const wise = run(notice({ criteria: { social: ['opp'] } }), sub({ cpv: ['45000000'], capabilities: [cap('wise')] }))!;
    expect(wise.score).to.equal(84);
    expect(wise.reasons[1].sv).to.equal('Upphandlingen prioriterar jobb för personer långt från arbetsmarknaden – er profil: Arbetsintegrerande socialt företag');
  });

  describe('keywords', () => {
    const cleaning = (text: string) => notice({ codes: [proc('90911200')], words: Words.of(text) });
    const withKeywords = (query: string, cpv = ['90911200']) => sub({ cpv, keywords: parseKeywords(query) });

    it('find Swedish inflections and explain the hit', () => {
      const result = run(cleaning('Städtjänster för Lerums förskolor'), withKeywords('städning'))!;
      expect(result.reasons[1]).to.deep.equal({ code: 'keywords', sv: 'Nyckelord: städning', en: 'Keywords: städning' });
      expect(run(notice({ codes: [proc('90620000')], words: Words.of('Snöröjningen i Lerum 2027–2029') }), withKeywords('snöröjning', ['90620000']))).not.to.equal(null);
      expect(run(cleaning('Fönsterputs'), withKeywords('städning'))).to.equal(null);
    });

    it('find compounds by their parts, as search does: "kök" is alerted to "Ombyggnad av storkök", "mat" not to materialinventering', () => {
      const kitchen = notice({ codes: [proc('45214200')], words: Words.of('Ombyggnad av storkök i Hulanskolan') });
      expect(run(kitchen, withKeywords('kök', ['45000000']))!.reasons[1]).to.deep.equal({ code: 'keywords', sv: 'Nyckelord: kök', en: 'Keywords: kök' });
      const inventory = notice({ codes: [proc('45111000')], words: Words.of('Materialinventering inför rivning') });
      expect(run(inventory, withKeywords('mat', ['45000000']))).to.equal(null);
      expect(run(inventory, withKeywords('material', ['45000000']))).not.to.equal(null);
    });

    it('keep å, ä and ö distinct but fold foreign diacritics', () => {
      expect(run(notice({ codes: [proc('34500000')], words: Words.of('Byte av batterier') }), withKeywords('båt', ['34500000']))).to.equal(null);
      expect(run(notice({ codes: [proc('34500000')], words: Words.of('Båtar till räddningstjänsten') }), withKeywords('båt', ['34500000']))).not.to.equal(null);
      expect(run(notice({ codes: [proc('55520000')], words: Words.of('Café och catering i Lerums stadshus') }), withKeywords('cafe', ['55520000']))).not.to.equal(null);
    });

    it('honour exclusions and "quoted phrases"', () => {
      expect(run(cleaning('Städning och fönsterputs'), withKeywords('städning -fönsterputs'))).to.equal(null);
      expect(run(cleaning('Städning efter byggnation'), withKeywords('städ -bygg'))).to.equal(null);
      expect(run(cleaning('Städning av skolor i Lerum'), withKeywords('"städning av skolor"'))!.reasons[1].sv).to.equal('Nyckelord: städning av skolor');
      expect(run(cleaning('Städning av förskolor i Lerum'), withKeywords('"städning av skolor"'))).to.equal(null);
      expect(run(cleaning('Städning av nya skolan'), withKeywords('städ -"nya skolan"'))).to.equal(null);
      expect(run(cleaning('Städning av skolan'), withKeywords('städ -"nya skolan"'))).not.to.equal(null);
    });

    it('never replace the CPV match', () => {
      expect(run(cleaning('Städning'), withKeywords('städning', ['45000000']))).to.equal(null);
    });
  });

  it('regions: by municipality code and by NUTS prefix', () => {
    const at = (municipalities: string[], nuts: string[]) => notice({ place: { municipalities, nuts } });
    const inArea = (regions: string[], n: MatchNotice) => run(n, sub({ regions })) !== null;
    expect(inArea(['1441'], at(['1441'], ['SE232']))).to.equal(true);
    expect(inArea(['1441'], at(['1480'], ['SE232']))).to.equal(false);
    expect(inArea(['1441'], at([], ['SE232']))).to.equal(false); // a region does not place a notice in a municipality
    expect(inArea(['1402', '1441'], at(['1441'], []))).to.equal(true);
    expect(inArea(['SE232'], at([], ['SE232']))).to.equal(true);
    expect(inArea(['SE23'], at(['1441'], []))).to.equal(true); // Lerum is in county 14, SE232
    expect(inArea(['SE2'], at([], ['SE232']))).to.equal(true);
    expect(inArea(['SE11'], at(['1441'], ['SE232']))).to.equal(false);
    expect(inArea(['SE110'], at([], []))).to.equal(false);
    expect(inArea([], at([], []))).to.equal(true);
  });

  it('value range: inclusive, SEK only; an unknown value or other currency never hides', () => {
    const worth = (value: MatchNotice['value']) => run(notice({ value }), sub({ minValue: 1_000_000, maxValue: 5_000_000 })) !== null;
    expect(worth({ amount: 3_000_000, currency: 'SEK' })).to.equal(true);
    expect(worth({ amount: 1_000_000, currency: 'SEK' })).to.equal(true);
    expect(worth({ amount: 5_000_000, currency: 'SEK' })).to.equal(true);
    expect(worth({ amount: 999_999, currency: 'SEK' })).to.equal(false);
    expect(worth({ amount: 40_000_000, currency: 'SEK' })).to.equal(false);
    expect(worth(null)).to.equal(true);
    expect(worth({ amount: 40_000_000, currency: 'EUR' })).to.equal(true);
    expect(run(notice({ value: { amount: 500, currency: 'SEK' } }), sub({ maxValue: 1_000_000 }))).not.to.equal(null);
  });

  it('kinds', () => {
    const kinds = ['planning', 'tender'];
    expect(run(notice({ kind: 'tender' }), sub({ kinds }))).not.to.equal(null);
    expect(run(notice({ kind: 'planning' }), sub({ kinds }))).not.to.equal(null);
    expect(run(notice({ kind: 'award' }), sub({ kinds }))).to.equal(null);
    expect(run(notice({ kind: 'award' }), sub())).not.to.equal(null);
  });

  it('procedure types: a notice without a known procedure does not pass a procedure filter', () => {
    const procedures = ['open', 'neg-w-call'];
    expect(run(notice({ procedure: 'open' }), sub({ procedures }))).not.to.equal(null);
    expect(run(notice({ procedure: 'restricted' }), sub({ procedures }))).to.equal(null);
    expect(run(notice({ procedure: null }), sub({ procedures }))).to.equal(null);
    expect(run(notice({ procedure: null }), sub())).not.to.equal(null);
  });

  it('onlyCsr: only notices with social or environmental criteria', () => {
    const onlyCsr = sub({ onlyCsr: true });
    expect(run(notice(), onlyCsr)).to.equal(null);
    expect(run(notice({ criteria: { smeSuitable: true } }), onlyCsr)).to.equal(null);
    for (const criteria of [
      { strategic: ['env-imp'] }, { social: ['work-cond'] }, { green: ['circ-econ'] }, { gpp: ['eu'] },
      { requirements: ['collective-agreement'] },
    ]) {
      expect(run(notice({ criteria }), onlyCsr), JSON.stringify(criteria)).not.to.equal(null);
    }
    // Reserved: only an eligible firm hears of it at all.
    expect(run(notice({ criteria: { reserved: ['res-ws'] } }), sub({ onlyCsr: true, capabilities: [cap('wise')] }))).not.to.equal(null);
  });

  it('every reason has a code and Swedish and English text naming the codes and labels', () => {
    const rich = notice({
      codes: [proc('45000000'), lot('LOT-0002', '90911200')],
      words: Words.of('Städning av skolor och förskolor'),
      criteria: { strategic: ['soc-obj'], social: ['opp'], green: ['circ-econ'], reserved: ['res-ws'], requirements: ['collective-agreement', 'iso-14001'] },
    });
    const result = run(rich, sub({ cpv: ['90910000'], keywords: parseKeywords('städ'), capabilities: [cap('wise'), cap('collective-agreement')] }))!;
    expect(codesOf(result)).to.deep.equal(['cpv', 'keywords', 'reserved-eligible', 'requirement-met', 'requirement-missing', 'objective-met', 'objective-met']);
    for (const reason of result.reasons) {
      expect(Object.keys(reason).sort()).to.deep.equal(['code', 'en', 'sv']);
      expect(reason.sv).to.be.a('string').and.not.equal('');
      expect(reason.en).to.be.a('string').and.not.equal(reason.sv);
    }
    expect(result.reasons[0].sv).to.include('90911200').and.include('delområdet ”LOT-0002”').and.include('90910000');
    expect(result.reasons[4].en).to.include('ISO 14001 or EMAS');
  });

  it('bestPerCompany keeps each firm’s best subscription; ties go to the lower id', () => {
    const result = (subscriptionId: string, companyId: string, score: number): MatchResult => ({ subscriptionId, companyId, score, reasons: [], missing: [] });
    const best = bestPerCompany([result('s2', 'c1', 80), result('s1', 'c1', 95), result('s4', 'c2', 70), result('s3', 'c2', 70), result('s5', 'c3', 60)]);
    expect(best.map((r) => r.subscriptionId).sort()).to.deep.equal(['s1', 's3', 's5']);
  });

  it('profileOutcome is what evaluate adds for the firm’s profile (the index applies it per distinct profile)', () => {
    const criteria: Partial<MatchCriteria>[] = [
      {},
      { gpp: ['eu'] },
      { requirements: ['iso-14001', 'svanen', 'iso-14001'], strategic: ['env-imp', 'env-imp'] },
      { reserved: ['res-ws'], social: ['opp', 'work-cond'], green: ['circ-econ', 'clim-mitig'], strategic: ['soc-obj'] },
      { requirements: ['mobelfakta', 'collective-agreement'] },
    ];
    const profiles = [[], [cap('emas')], [cap('iso-14001', '2026-11-26')], [cap('wise'), cap('collective-agreement'), cap('mobelfakta', TODAY)], [cap('svanen'), cap('iso-14001')]];
    for (const c of criteria) {
      const n = notice({ criteria: c });
      for (const capabilities of profiles) {
        const expected = run(n, sub({ capabilities }));
        const held = new Set(capabilities.filter((x) => x.validUntil === null || x.validUntil >= TODAY).map((x) => x.capability));
        const outcome = profileOutcome(n.criteria, held);
        // Only the capabilities it names are ever asked about.
        expect(profileOutcome(n.criteria, new Set([...held].filter((x) => profileCapabilities(n.criteria).includes(x))))).to.deep.equal(outcome);
        expect(outcome.eligible, JSON.stringify(c)).to.equal(expected !== null);
        if (!expected) continue;
        expect(outcome.missing).to.deep.equal(expected.missing);
        expect([expected.reasons[0], ...outcome.reasons]).to.deep.equal(expected.reasons);
        expect(Math.min(100, Math.max(1, 100 + outcome.scoreDelta))).to.equal(expected.score);
        expect(asksProfile(n.criteria)).to.equal(!!(c.requirements || c.reserved || c.strategic || c.social || c.green));
      }
    }
  });

  it('cpvReason names the lot by its title, and codes by their own labels once the CPV list is loaded', () => {
    const hit = bestCpvHit([proc('90620000'), { ...lot('LOT-0002', '45310000'), lotTitle: 'Elarbeten' }], ['45300000'])!;
    expect(hit).to.include({ noticeCode: '45310000', lotId: 'LOT-0002', lotTitle: 'Elarbeten' });
    expect(cpvReason(hit).en).to.equal('45310000 in the lot “Elarbeten” is within your category 45300000 (Construction work)');
    try {
      setCpvLabels([
        { code: '45432100', sv: 'Golvläggning', en: 'Floor-laying and covering work' },
        { code: '45000000', sv: 'Bygg- och anläggningsarbeten', en: 'Construction work' },
      ]);
      const floor = bestCpvHit([proc('45432100')], ['45000000'])!;
      expect(cpvReason(floor).sv).to.equal('45432100 Golvläggning ingår i er kategori 45000000 Bygg- och anläggningsarbeten');
    } finally {
      setCpvLabels([]);
    }
  });
});
