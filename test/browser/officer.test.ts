// The procurement officer's journey in Chromium: sign in, fill the publish
// form with the keyboard only (errors first), watch the reach preview change
// when a requirement is added, publish, see the notice in "my notices",
// withdraw it, register a direct award. Without JavaScript the form still
// adds lots and previews the reach. Every page and state through axe.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insertBuyer } from '../../src/accounts/organisations.repo.ts';
import { eventually } from '../helpers/app.ts';
import { registerFirm, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';

/** Presses Tab until the element with this id has focus (keyboard only, as a person would). */
async function tabTo(page: Page, id: string, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** Tabs to the button with this text (buttons have no ids). */
async function tabToButton(page: Page, text: string, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((want) => { const el = document.activeElement; return el?.tagName === 'BUTTON' && el.textContent?.trim() === want; }, text)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the button ${text}`);
}

/** A notice's public page (not /officer/notices/new). */
const NOTICE_PAGE = /:\d+\/notices\/[\w-]+$/;
const nextYear = new Date().getUTCFullYear() + 1;

describe('web: the officer publishes, previews the reach, withdraws and registers awards (Chromium)', function () {
  this.timeout(240_000);
  let c: Ctx;
  let browser: Browser;
  let buyerId: string;
  const asOfficer = (context: BrowserContext) => signInAs(context, c.t.app, 'olle@lerum.test', ['officer'], { buyerId }).then(() => undefined);

  before(async function () {
    browser = await launchBrowser(this);
    c = await startWithSmtp();
    buyerId = await insertBuyer(c.t.app.db, { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' });
    // Three local cleaning firms: two ask for every requirement to be met (strict), one of them holds the Swan licence.
    await registerFirm(c, 'svan@firma.test', [{ strict: true }], { body: { csr: ['svanen'] } });
    await registerFirm(c, 'utan@firma.test', [{ strict: true }]);
    await registerFirm(c, 'bred@firma.test');
  });
  after(async () => {
    await browser?.close();
    await c?.t.stop();
    await c?.smtp.close();
  });

  it('publishes with the keyboard only, the reach changing as a requirement is added, and withdraws', async () => {
    const context = await newContext(browser);
    await asOfficer(context);
    const page = await context.newPage();
    await page.goto(`${c.t.app.url}/officer`);
    expect(await page.locator('h1').textContent()).to.equal('Mina upphandlingar');
    await expectAccessible(page, 'my notices (empty)');

    await page.goto(`${c.t.app.url}/officer/notices/new`);
    await expectAccessible(page, 'publish form (empty)');
    // Publishing an empty form: the errors at the top, focus on them, each linked to its field.
    await tabToButton(page, 'Publicera');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#error-summary');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('error-summary');
    const summary = await page.locator('#error-summary').textContent();
    expect(summary).to.contain('Fyll i diarienummer.').and.to.contain('Rubrik').and.to.contain('CPV-koder');
    await expectAccessible(page, 'publish form with errors');
    await screenshot(page, 'officer-form-errors');

    await tabTo(page, 'field-reference');
    await page.keyboard.type('KS 2026/500');
    await tabTo(page, 'field-title');
    await page.keyboard.type('Städning av Lerums skolor');
    await tabTo(page, 'field-cpv');
    await page.keyboard.type('90911200');
    await tabTo(page, 'field-deadline');
    await page.keyboard.type(`${nextYear}-03-31`);
    await tabTo(page, 'field-deadlineTime');
    await page.keyboard.type('12:00');
    const reach = page.locator('#reach-result');
    await eventually(async () => (await reach.textContent())?.includes('Når 3 företag, varav 3 lokala.'), 10_000);

    // Svanenmärkt: the strict firm without the licence drops out.
    const swan = page.locator('#field-requirements input[value="svanen"]');
    await tabTo(page, (await swan.getAttribute('id'))!);
    await page.keyboard.press('Space');
    await eventually(async () => (await reach.textContent())?.includes('Når 2 företag, varav 2 lokala.'), 10_000);
    expect(await reach.textContent()).to.contain('Svanenmärkt').and.to.contain('utan kravet: 1 fler företag (1 fler lokala)');
    await expectAccessible(page, 'publish form filled, with its reach');
    await screenshot(page, 'officer-form-reach');

    await tabToButton(page, 'Publicera');
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).to.equal('Städning av Lerums skolor');
    const noticeId = page.url().split('/').pop()!;
    const stored = await c.t.app.db.selectFrom('notices').selectAll().where('id', '=', noticeId).executeTakeFirstOrThrow();
    expect(stored.deadline, 'Swedish summer time in, UTC stored').to.equal(`${nextYear}-03-31T10:00:00.000Z`);
    expect(stored.buyer_id).to.equal(buyerId);

    await page.goto(`${c.t.app.url}/officer`);
    const published = page.locator('section', { has: page.locator('#group-published') });
    expect(await published.textContent()).to.contain('Städning av Lerums skolor').and.to.contain('KS 2026/500');
    await eventually(async () => {
      await page.reload();
      return (await published.locator('td').nth(2).textContent()) === '3 (3)' ? true : undefined;
    }, 20_000).catch(() => undefined); // matching runs in the workers: the count follows
    await expectAccessible(page, 'my notices with a published notice');
    await screenshot(page, 'officer-home');

    await page.getByRole('link', { name: 'Återkalla: Städning av Lerums skolor' }).click();
    expect(await page.locator('h1').textContent()).to.equal('Återkalla upphandlingen');
    await page.getByRole('button', { name: 'Återkalla upphandlingen' }).click();
    await page.waitForSelector('#error-summary');
    await expectAccessible(page, 'withdraw with errors');
    await page.getByLabel('Motivering').fill('Behovet har upphört');
    await Promise.all([page.waitForURL(/\/officer$/), page.getByRole('button', { name: 'Återkalla upphandlingen' }).click()]);
    const withdrawn = page.locator('section', { has: page.locator('#group-withdrawn') });
    expect(await withdrawn.textContent()).to.contain('Städning av Lerums skolor');
    const row = await c.t.app.db.selectFrom('notices').select('status').where('id', '=', noticeId).executeTakeFirstOrThrow();
    expect(row.status).to.equal('withdrawn');
    await context.close();
  });

  it('registers a direct award (errors first) and an award on a published notice', async () => {
    const context = await newContext(browser);
    await asOfficer(context);
    const page = await context.newPage();
    await page.goto(`${c.t.app.url}/officer/direct-awards/new`);
    await page.getByRole('button', { name: 'Registrera direktupphandlingen' }).click();
    await page.waitForSelector('#error-summary');
    await expectAccessible(page, 'direct award with errors');
    await page.getByLabel('Rubrik').fill('Fönsterputs stadshuset');
    await page.getByLabel('CPV-kod').fill('90911300');
    await page.getByLabel('Leverantörens namn').fill('Blanka Fönster AB');
    await page.getByLabel('Leverantörens organisationsnummer').fill('556016-0681');
    await page.getByLabel('Kontraktsvärde i kronor').fill('85 000');
    await page.getByLabel('Tilldelningsdatum').fill('2026-02-01');
    await page.getByRole('button', { name: 'Registrera direktupphandlingen' }).click();
    expect(await page.locator('#error-summary').textContent(), 'a wrong check digit').to.contain('giltigt organisationsnummer');
    await page.getByLabel('Leverantörens organisationsnummer').fill('556016-0680');
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.getByRole('button', { name: 'Registrera direktupphandlingen' }).click()]);
    const id = page.url().split('/').pop()!;
    const award = await c.t.app.db.selectFrom('awards').innerJoin('notices', 'notices.id', 'awards.notice_id')
      .select(['awards.winner_org_number', 'awards.amount', 'awards.currency', 'awards.awarded_on', 'notices.buyer_id', 'notices.kind'])
      .where('awards.notice_id', '=', id).executeTakeFirstOrThrow();
    expect(award).to.deep.equal({ winner_org_number: '5560160680', amount: 85000, currency: 'SEK', awarded_on: '2026-02-01', buyer_id: buyerId, kind: 'award' });

    // An award on a notice of the buyer.
    await page.goto(`${c.t.app.url}/officer/notices/new`);
    await page.getByLabel('Diarienummer').fill('KS 2026/501');
    await page.getByLabel('Rubrik').fill('Golvvård');
    await page.locator('#field-cpv').fill('90911200');
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.getByRole('button', { name: 'Publicera' }).click()]);
    const noticeId = page.url().split('/').pop()!;
    // Editing: the same form, through the API's correction path (a new revision).
    await page.goto(`${c.t.app.url}/officer`);
    await page.getByRole('link', { name: 'Ändra: Golvvård' }).click();
    expect(await page.getByText('Diarienummer: KS 2026/501').count()).to.equal(1);
    await expectAccessible(page, 'edit form');
    await page.getByLabel('Rubrik').fill('Golvvård i skolor');
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.getByRole('button', { name: 'Spara ändringarna' }).click()]);
    expect(await page.locator('h1').textContent()).to.equal('Golvvård i skolor');
    const revised = await c.t.app.db.selectFrom('notices').select(['revision', 'title']).where('id', '=', noticeId).executeTakeFirstOrThrow();
    expect(revised).to.deep.equal({ revision: 2, title: 'Golvvård i skolor' });
    await page.goto(`${c.t.app.url}/officer`);
    await page.getByRole('link', { name: 'Registrera tilldelning: Golvvård i skolor' }).click();
    await expectAccessible(page, 'award form');
    await page.getByLabel('Leverantörens namn').fill('Golv & Glans AB');
    await page.getByLabel('Leverantörens organisationsnummer').fill('556016-0680');
    await page.getByLabel('Kontraktsvärde i kronor').fill('400000');
    await page.getByLabel('Tilldelningsdatum').fill('2026-03-01');
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.getByRole('button', { name: 'Registrera tilldelningen' }).click()]);
    const awards = await c.t.app.db.selectFrom('awards').select(['winner_name', 'awarded_on']).where('notice_id', '=', noticeId).execute();
    expect(awards).to.deep.equal([{ winner_name: 'Golv & Glans AB', awarded_on: '2026-03-01' }]);
    await page.goto(`${c.t.app.url}/officer`);
    expect(await page.locator('section', { has: page.locator('#group-awarded') }).textContent()).to.contain('Golvvård i skolor').and.to.contain('Fönsterputs stadshuset');
    await context.close();
  });

  it('without JavaScript: adds and removes lots keeping every value, previews the reach, saves a draft', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    await asOfficer(context);
    const page = await context.newPage();
    await page.goto(`${c.t.app.url}/officer/notices/new`);
    await page.getByLabel('Rubrik').fill('Parkskötsel och städ');
    await page.locator('#field-cpv').fill('90911200');
    await page.getByRole('button', { name: 'Lägg till delområde' }).click();
    expect(await page.getByLabel('Rubrik').inputValue(), 'values kept').to.equal('Parkskötsel och städ');
    await page.getByLabel('Namn på delområde 1').fill('Skolor');
    await page.getByLabel('CPV-koder för delområde 1').fill('90911200');
    await page.getByRole('button', { name: 'Lägg till delområde' }).click();
    await page.getByLabel('Namn på delområde 2').fill('Parker');
    await page.getByLabel('CPV-koder för delområde 2').fill('77310000');
    await page.getByRole('button', { name: 'Förhandsgranska räckvidd' }).click();
    const reach = await page.locator('#reach-result').textContent();
    expect(reach).to.contain('Når 3 företag').and.to.contain('Skolor: 3 företag (3 lokala)').and.to.contain('Parker: 0 företag');
    // axe runs as a script: the same state is checked with JavaScript on below.
    await page.getByRole('button', { name: 'Ta bort delområde 1' }).click();
    expect(await page.getByLabel('Namn på delområde 1').inputValue(), 'the second lot moved up').to.equal('Parker');
    await page.getByRole('button', { name: 'Spara som utkast' }).click();
    expect(await page.getByRole('status').textContent()).to.contain('Utkastet är sparat.');
    await page.goto(`${c.t.app.url}/officer`);
    const drafts = page.locator('section', { has: page.locator('#group-drafts') });
    expect(await drafts.textContent()).to.contain('Parkskötsel och städ');
    await context.close();

    const withJs = await newContext(browser);
    await asOfficer(withJs);
    const again = await withJs.newPage();
    await again.goto(`${c.t.app.url}/officer`);
    await again.getByRole('link', { name: 'Fortsätt redigera: Parkskötsel och städ' }).click();
    expect(await again.getByLabel('Namn på delområde 1').inputValue(), 'the draft kept its lot').to.equal('Parker');
    await again.getByRole('button', { name: 'Förhandsgranska räckvidd' }).click();
    await expectAccessible(again, 'publish form with a lot and the reach');
    await screenshot(again, 'officer-form-lots');
    await withJs.close();
  });

  it('every officer page passes axe in sv and en, desktop and mobile', async () => {
    await checkPage(browser, c.t.app, '/officer', 'officer-home', asOfficer);
    await checkPage(browser, c.t.app, '/officer/notices/new', 'officer-publish', asOfficer);
    await checkPage(browser, c.t.app, '/officer/direct-awards/new', 'officer-direct-award', asOfficer);
  });
});
