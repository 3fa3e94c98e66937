// The pages everyone sees, in Chromium: the start page's search (words,
// filters, facet counts, marked words, pagination, empty and no-results
// states), a notice's page, "Så fungerar Brygga", the accessibility
// statement, signing in, and the development mailbox through to confirming
// an address from its link. Every page through axe in sv and en.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot } from './browser.ts';

const DAY = 86_400_000;

describe('web: the public pages (Chromium)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let browser: Browser;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startTestApp(); // workers inline: the mailbox needs the confirmation e-mail
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function open(path: string, lang: 'sv' | 'en' = 'sv'): Promise<Page> {
    const context = await newContext(browser, { lang });
    const page = await context.newPage();
    await page.goto(`${t.app.url}${path}`);
    return page;
  }

  it('the start page without any notices says so', async () => {
    const page = await open('/');
    expect(await page.getByRole('heading', { name: 'Inga upphandlingar ännu' }).count()).to.equal(1);
    await page.context().close();
    await checkPage(browser, t.app, '/', 'search-empty');
  });

  describe('with notices', () => {
    let rich: string;
    let withdrawn: string;

    before(async () => {
      const deadline = (days: number) => new Date(Date.now() + days * DAY).toISOString();
      for (let i = 1; i <= 24; i++) {
        const res = await api(t.app, 'POST', '/api/notices', {
          reference: `KS 2026/${i}`, title: `Städning av skola ${i}`, description: `Lokalvård och städning i skola nummer ${i} i Lerum.`,
          buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' }, deadline: deadline(10 + i),
          procedure: 'open', estimatedValue: { amount: 100_000 * i, currency: 'SEK' },
          criteria: i % 3 === 0 ? { requirements: ['collective-agreement'], social: ['work-cond'] } : {},
        });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
      }
      const created = await api(t.app, 'POST', '/api/notices', {
        reference: 'KS 2026/100', title: 'Skolmåltider och städning i förskolor', description: 'Tillagning av skolmåltider och städning av kök.',
        buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '55524000', additional: ['90911200'] },
        deadline: deadline(30), procedure: 'restricted', estimatedValue: { amount: 1_200_000, currency: 'SEK' },
        lots: [
          { id: 'LOT-0001', title: 'Skolmåltider', cpv: { main: '55524000', additional: [] }, estimatedValue: { amount: 900_000, currency: 'SEK' } },
          { id: 'LOT-0002', title: 'Köksstädning', cpv: { main: '90911200', additional: [] }, estimatedValue: { amount: 300_000, currency: 'SEK' } },
        ],
        criteria: { requirements: ['svanen'], social: ['opp'], green: ['circ-econ'], reserved: ['res-ws'], smeSuitable: true },
        links: { documents: 'https://tendsign.example/dokument/100', submission: null, source: null },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      rich = created.body.notice.id;
      expect((await api(t.app, 'PATCH', `/api/notices/${rich}`, { estimatedValue: { amount: 1_500_000, currency: 'SEK' } })).status).to.equal(200);
      const gone = await api(t.app, 'POST', '/api/notices', {
        reference: 'KS 2026/200', title: 'Snöröjning av gator', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
        cpv: { main: '90620000' }, deadline: deadline(20),
      });
      withdrawn = gone.body.notice.id;
      expect((await api(t.app, 'POST', `/api/notices/${withdrawn}/withdraw`, { reason: 'Behovet har upphört' })).status).to.equal(200);
      await t.app.search.reindex();
    });

    it('searches by words and a filter, with facet counts and the words marked, in a shareable address', async () => {
      const page = await open('/');
      await page.getByLabel('Sökord').fill('städning');
      await page.getByRole('button', { name: 'Sök', exact: true }).click();
      expect(await page.locator('.search-count').innerText()).to.match(/^25 upphandlingar/);
      expect(await page.locator('.search-hit mark').first().innerText()).to.match(/^städning$/i);
      // The facet counts: 9 of the 25 have social considerations.
      const social = page.getByText('Sociala hänsyn (9)', { exact: true });
      expect(await social.count(), await page.locator('#field-csr').innerText()).to.equal(1);
      await social.click(); // FKUI draws the box on the label
      await page.getByRole('button', { name: 'Använd filtren' }).click();
      const url = new URL(page.url());
      expect(url.searchParams.get('q')).to.equal('städning');
      expect(url.searchParams.getAll('csr')).to.deep.equal(['social']);
      expect(await page.locator('.search-count').innerText()).to.match(/^9 upphandlingar/);
      expect(await page.getByRole('checkbox', { name: /^Sociala hänsyn/ }).isChecked()).to.equal(true);
      // The address alone gives the same search.
      const shared = await open(`${url.pathname}${url.search}`, 'en');
      expect(await shared.locator('.search-count').innerText()).to.match(/^9 tenders/);
      await page.context().close();
      await shared.context().close();
    });

    it('pages through the results', async () => {
      const page = await open('/?q=st%C3%A4dning&sort=deadline');
      expect(await page.locator('.search-hit').count()).to.equal(20);
      await page.getByRole('link', { name: 'Nästa sida' }).click();
      expect(new URL(page.url()).searchParams.get('page')).to.equal('2');
      expect(await page.locator('.search-hit').count()).to.equal(5);
      expect(await page.locator('.search-count').innerText()).to.include('Visar 21–25');
      expect(await page.locator('.pagination a[aria-current="page"]').innerText()).to.equal('2');
      await page.getByRole('link', { name: 'Föregående sida' }).click();
      expect(new URL(page.url()).searchParams.get('page')).to.equal(null);
      await page.context().close();
    });

    it('says when nothing matches, and shows a refused filter in the error summary', async () => {
      const page = await open('/?q=xylofonreparation');
      expect(await page.getByRole('heading', { name: 'Inga upphandlingar matchar sökningen' }).count()).to.equal(1);
      await page.goto(`${t.app.url}/?valueMin=mycket`);
      expect(await page.locator('#error-summary').innerText()).to.include('Lägsta värde (kr) ska vara ett belopp i hela kronor');
      await expectAccessible(page, 'search with an error');
      await page.context().close();
      await checkPage(browser, t.app, '/?q=xylofonreparation', 'search-none');
      await checkPage(browser, t.app, '/?q=st%C3%A4dning&csr=social', 'search-results');
      await checkPage(browser, t.app, '/', 'search-start');
    });

    it('a notice page shows lots, criteria in words, reserved status, links and the history', async () => {
      const page = await open(`/notices/${rich}`);
      const text = (await page.locator('main').innerText()).replace(/\s/g, ' '); // sv-SE groups digits with a no-break space
      expect(text).to.include('Köksstädning').and.include('300 000 kr');
      expect(text).to.include('Svanenmärkt').and.include('Jobb för personer långt från arbetsmarknaden').and.include('Cirkulär ekonomi');
      expect(text).to.include('Reserverad för arbetsintegrerande sociala företag och skyddade verkstäder');
      expect(text).to.include('Uppskattat värde: 1 200 000 kr → 1 500 000 kr');
      expect(text).to.match(/\(svensk tid\)/);
      expect(await page.getByRole('link', { name: 'Upphandlingsdokument' }).getAttribute('href')).to.equal('https://tendsign.example/dokument/100');
      await page.getByRole('link', { name: 'Alla upphandlingar' }).click();
      expect(new URL(page.url()).pathname).to.equal('/');
      await page.goto(`${t.app.url}/notices/${withdrawn}`);
      expect(await page.getByRole('heading', { name: 'Upphandlingen är återkallad' }).count()).to.equal(1);
      expect(await page.locator('main').innerText()).to.include('Köparens motivering: Behovet har upphört');
      await page.context().close();
      await checkPage(browser, t.app, `/notices/${rich}`, 'notice');
      await checkPage(browser, t.app, `/notices/${withdrawn}`, 'notice-withdrawn');
    });
  });

  it('"Så fungerar Brygga" and the accessibility statement', async () => {
    const about = await open('/about');
    expect(await about.locator('main').innerText()).to.include('Likabehandlingsprincipen gäller fullt ut');
    await about.context().close();
    const statement = await open('/accessibility');
    const text = await statement.locator('main').innerText();
    expect(text).to.include('delvis förenlig').and.include('Myndigheten för digital förvaltning (Digg)').and.include('axe');
    await statement.context().close();
    await checkPage(browser, t.app, '/about', 'about');
    await checkPage(browser, t.app, '/accessibility', 'accessibility');
  });

  it('the sign-in page asks for an address and answers the same for any', async () => {
    const page = await open('/login');
    await page.getByLabel('E-postadress').fill('nobody@firma.example');
    await page.getByRole('button', { name: 'Skicka länk' }).click();
    expect(await page.getByRole('status').innerText()).to.include('Om adressen finns hos oss');
    await expectAccessible(page, 'sign-in link sent');
    await page.context().close();
    await checkPage(browser, t.app, '/login', 'login');
  });

  it('the development mailbox lists the e-mail, shows one, and its confirmation link works', async () => {
    const email = `mailbox-${Date.now()}@firma.example`;
    const registered = await api(t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Brevlådan AB', email, municipalityCode: '1441', categories: ['90910000'],
    }, { token: null });
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    const page = await open('/dev/mail');
    for (let i = 0; i < 100 && !(await page.getByRole('cell', { name: email }).count()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await page.reload();
    }
    expect(await page.getByRole('cell', { name: email }).count()).to.equal(1);
    await checkPage(browser, t.app, '/dev/mail', 'dev-mail');
    await page.getByRole('row', { name: new RegExp(email) }).getByRole('link', { name: 'Bekräfta er e-postadress för Brygga' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal('Bekräfta er e-postadress för Brygga');
    await checkPage(browser, t.app, new URL(page.url()).pathname, 'dev-mail-message');
    await page.locator('.mail-text a[href^="/confirm/"]').click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal('Bekräfta e-postadress');
    // In the firm's language (its e-mail's) unless the reader chose one on the site.
    const confirmPath = new URL(page.url()).pathname;
    for (const lang of ['sv', 'en'] as const) {
      for (const viewport of ['desktop', 'mobile'] as const) {
        const context = await newContext(browser, { lang, viewport });
        await context.addCookies([{ name: 'brygga_lang', value: lang, url: t.app.url }]);
        const other = await context.newPage();
        await other.goto(`${t.app.url}${confirmPath}`);
        expect(await other.locator('html').getAttribute('lang')).to.equal(lang);
        await screenshot(other, 'confirm');
        if (viewport === 'desktop') await expectAccessible(other, `confirm (${lang})`);
        await context.close();
      }
    }
    await page.getByRole('button', { name: 'Bekräfta' }).click();
    expect(await page.getByRole('status').innerText()).to.include('Adressen är bekräftad');
    await expectAccessible(page, 'address confirmed');
    expect((await api(t.app, 'GET', `/api/companies/${registered.body.id}`)).body.emailStatus).to.equal('confirmed');
    await page.context().close();
  });
});
