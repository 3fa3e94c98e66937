// Suggestions from award history in Chromium (issue 16): in the registration
// form (without JavaScript: the buttons are plain posts) and on the profile,
// the evidence, the related categories and the one-click ways to take them,
// from the same service as GET /api/companies/:id/suggestions. Through axe.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { ingestSources } from '../../src/ingest/ingest.service.ts';
import { fileSource } from '../../src/ingest/sources.ts';
import { api, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';
import { startFirmPagesApp } from './cpv-labels.ts';

const HEADER = 'År,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Upphandlings-ID,Upphandlingens titel,Publiceringsdatum,Anbudsområdes-ID,Namn för leverantör';

describe('web: suggestions from contracts won, in registration and the profile (Chromium)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let browser: Browser;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startFirmPagesApp();
    // UHM statistics (winners by name only): two firms win cleaning (90911200); one of them also green areas (773…),
    // so for the others green areas are what firms winning what they win also win.
    const file = path.join(fs.mkdtempSync(path.join(t.dir, 'uhm-')), 'winners.csv');
    fs.writeFileSync(file, [
      HEADER,
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U1,Städ A,2021-02-01,U1_1,SÄVEÅ LOKALVÅRD AKTIEBOLAG',
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U2,Städ B,2021-03-01,U2_1,Säveå Lokalvård AB (publ)',
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U3,Städ C,2021-04-01,U3_1,Aspens Städ AB',
      '2021,LERUMS KOMMUN,2120001447,77310000 Skötsel av grönområden,U4,Parker,2021-05-01,U4_1,Aspens Städ AB',
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U5,Städ D,2021-06-01,U5_1,Floda Fönsterputs AB',
    ].join('\n'));
    await ingestSources(t.app.db, [await fileSource(file)], { format: 'auto', maxBytes: 1024 * 1024, sliceMs: 2000, pauseMs: 0 });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  for (const js of [false, true]) {
    it(`registration, ${js ? 'with' : 'without'} JavaScript: shows the evidence for the name typed, takes the suggestions in one click, and the first subscription is the suggested one`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: js, locale: 'sv-SE' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${t.app.url}/register`);
      const orgNumber = nextOrgNumber();
      await page.locator('#field-orgNumber').fill(orgNumber);
      await page.locator('#field-name').fill('Säveå Lokalvård AB');
      await page.getByRole('button', { name: 'Visa förslag från vunna kontrakt' }).click();
      await page.locator('[data-suggestions]').waitFor();
      expect(await page.locator('#error-summary').count()).to.equal(0); // showing suggestions checks nothing yet
      expect(await page.locator('#field-name').inputValue()).to.equal('Säveå Lokalvård AB');
      const evidence = await page.locator('[data-suggestions-evidence] li').allInnerTexts();
      expect(evidence).to.have.length(1);
      expect(evidence[0]).to.match(/^Ni har vunnit 2 kontrakt inom 90911200 .*\(2021\)$/);
      expect(await page.locator('[data-suggestions]').innerText()).to.contain('Företag som vinner det ni vinner vinner också …');
      expect(await page.locator('[data-suggestions-related] li').allInnerTexts()).to.satisfy((l: string[]) => l.some((x) => x.startsWith('77300000')));
      if (js) { // axe runs in the page
        await expectAccessible(page, 'register (suggestions)');
        await screenshot(page, 'register-suggestions');
      }

      await page.getByRole('button', { name: 'Använd förslagen' }).click();
      await page.locator('[data-suggestions]').waitFor();
      expect(await page.locator('main').innerText()).to.contain('er första bevakning blir ”Förslag från er historik”');
      for (const code of ['90911200', '77300000']) {
        expect(await page.locator(`[data-cpv-selected] input[value="${code}"]`).isChecked(), code).to.equal(true);
      }
      expect(await page.getByRole('button', { name: 'Använd förslagen' }).count()).to.equal(0);
      if (js) await expectAccessible(page, 'register (suggestions taken)');

      await page.locator('#field-municipalityCode').selectOption('1441');
      const email = `forslag-${js}-${Date.now()}@savea.example`;
      await page.locator('#field-email').fill(email);
      await page.getByRole('button', { name: 'Registrera företaget' }).click();
      await page.waitForURL(/\/register\/sent$/);
      await context.close();

      const company = await t.app.db.selectFrom('companies').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      const details = await api(t.app, 'GET', `/api/companies/${company.id}`);
      expect(details.body.categories).to.include.members(['90911200', '77300000']);
      const suggestions = await api(t.app, 'GET', `/api/companies/${company.id}/suggestions`);
      expect(details.body.subscriptions).to.have.length(1);
      expect(details.body.subscriptions[0]).to.deep.include({ name: suggestions.body.subscription.name, minScore: suggestions.body.subscription.minScore });
      expect(details.body.subscriptions[0].cpv).to.have.members(suggestions.body.subscription.cpv);
    });
  }

  it('registration: a name without history says so and leaves the categories to the firm', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(`${t.app.url}/register`);
    await page.locator('#field-name').fill('Helt Ny Firma AB');
    await page.getByRole('button', { name: 'Visa förslag från vunna kontrakt' }).click();
    await page.locator('.suggestions__none').waitFor();
    expect(await page.locator('.suggestions__none').innerText()).to.equal('Vi hittade inga vunna kontrakt för Helt Ny Firma AB. Välj kategorierna själva nedan.');
    await context.close();
  });

  describe('the profile', () => {
    let firm: { id: string; email: string };
    let context: BrowserContext;
    const signIn = async (c: BrowserContext) => void (await signInAs(c, t.app, firm.email, ['firm'], { companyId: firm.id }));

    before(async () => {
      const email = `info-${Date.now()}@floda.example`;
      const res = await api(t.app, 'POST', '/api/companies', { orgNumber: nextOrgNumber(), name: 'Floda Fönsterputs AB', email, municipalityCode: '1441', categories: ['90911300'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      firm = { id: res.body.id, email };
      context = await newContext(browser);
      await signIn(context);
    });
    after(async () => context?.close());

    it('shows what the API suggests, in sv and en, through axe', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      const api16 = await api(t.app, 'GET', `/api/companies/${firm.id}/suggestions`);
      const evidence = await page.locator('[data-suggestions-evidence] li').allInnerTexts();
      expect(evidence).to.deep.equal(api16.body.categories.map((c: { reason: { sv: string } }) => c.reason.sv));
      expect(evidence[0]).to.match(/^Ni har vunnit 1 kontrakt inom 90911200 /);
      expect(await page.locator('[data-suggestions-related] li').count()).to.equal(api16.body.related.length);
      await page.close();
      await checkPage(browser, t.app, '/firm/profile', 'firm-profile-suggestions', signIn);
    });

    it('creates the suggested subscription in one click, once', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.getByRole('button', { name: 'Skapa den föreslagna bevakningen' }).click();
      await page.waitForURL(/done=suggestedSubscription/);
      expect(await page.locator('[role=status]').first().innerText()).to.contain('Den föreslagna bevakningen är skapad.');
      expect(await page.getByRole('button', { name: 'Skapa den föreslagna bevakningen' }).count()).to.equal(0);
      expect(await page.locator('main').innerText()).to.contain('Ni har redan en bevakning med de föreslagna kategorierna.');
      await expectAccessible(page, 'profile (suggested subscription created)');
      await page.close();
      const details = await api(t.app, 'GET', `/api/companies/${firm.id}`);
      const suggestions = await api(t.app, 'GET', `/api/companies/${firm.id}/suggestions`);
      const made = details.body.subscriptions.filter((s: { name: string }) => s.name === suggestions.body.subscription.name);
      expect(made).to.have.length(1);
      expect(made[0].minScore).to.equal(50);
      expect(made[0].cpv).to.have.members(suggestions.body.subscription.cpv);
    });

    it('adds the suggested categories to the profile in one click', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.getByRole('button', { name: 'Lägg till kategorierna i profilen' }).click();
      await page.waitForURL(/done=suggestedCategories/);
      expect(await page.locator('[role=status]').first().innerText()).to.contain('De föreslagna kategorierna är tillagda i profilen.');
      for (const code of ['90911300', '90911200', '77300000']) {
        expect(await page.locator(`[data-cpv-selected] input[value="${code}"]`).isChecked(), code).to.equal(true);
      }
      expect(await page.getByRole('button', { name: 'Lägg till kategorierna i profilen' }).count()).to.equal(0);
      await page.close();
    });
  });
});
