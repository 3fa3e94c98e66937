// The procurement officer's journey in Chromium: sign in, fill the publish
// form with the keyboard only (errors first, the CPV picker searched and
// ticked by keyboard, Enter in a field previewing and never publishing),
// watch the reach preview change when a requirement is added, publish, see
// the notice and its matched firms in "my notices", withdraw it, register a
// direct award. Without JavaScript the form still searches the picker, adds
// lots and previews the reach; a draft is deleted. An administrator chooses
// the buyer. Every page and state through axe.
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insertBuyer } from '../../src/accounts/organisations.repo.ts';
import { eventually } from '../helpers/app.ts';
import { registerFirm, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';
import { useCpvLabels } from './cpv-labels.ts';

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


/** Picks a code in the picker with the mouse: searched, then ticked among the results. */
async function pick(page: Page, code: string) {
  await page.locator('#field-cpv-q').fill(code);
  await page.locator(`label[for="field-cpv-res-${code}"]`).click();
  await page.locator(`[data-cpv-selected] input[value="${code}"]`).waitFor();
}

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
    await useCpvLabels(c.t.app.db);
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
    // The CPV picker by keyboard: words in its search field (Enter searches there and sends nothing), Tab to the result, Space.
    await tabTo(page, 'field-cpv-q');
    await page.keyboard.type('byggnadsstäd');
    await page.keyboard.press('Enter');
    await page.locator('#field-cpv-res-90911200').waitFor();
    expect(page.url(), 'Enter in the search field sends nothing').to.match(/\/officer\/notices\/new$/);
    expect(await page.locator('[data-cpv-status]').textContent()).to.contain('byggnadsstäd');
    await tabTo(page, 'field-cpv-res-90911200');
    await page.keyboard.press('Space');
    expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked(), 'the result is among the chosen').to.equal(true);
    expect(await page.locator('#field-cpvMain').inputValue(), 'the main code follows the choice').to.equal('90911200');
    expect(await page.locator('#field-cpvMain option').allTextContents()).to.deep.equal(['90911200 Byggnadsstädning']);
    await tabTo(page, 'field-deadline');
    await page.keyboard.type(`${nextYear}-03-31`);
    await tabTo(page, 'field-deadlineTime');
    await page.keyboard.type('12:00');
    const reach = page.locator('#reach-result');
    await eventually(async () => (await reach.textContent())?.includes('Når 3 företag, varav 3 lokala.'), 10_000);
    await expectAccessible(page, 'publish form with the picker searched');

    // Enter in an ordinary field previews the reach: nothing published, the values kept, the picker not searched again.
    await tabTo(page, 'field-title');
    const [preview] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/officer/notices/new')),
      page.keyboard.press('Enter'),
    ]);
    expect(preview.status(), 'a preview, not a publication (which answers 303)').to.equal(200);
    await page.waitForLoadState('load');
    expect(page.url()).to.match(/\/officer\/notices\/new$/);
    expect(await c.t.app.db.selectFrom('notices').select('id').where('reference', '=', 'KS 2026/500').execute(), 'not published').to.deep.equal([]);
    expect(await page.locator('#field-title').inputValue()).to.equal('Städning av Lerums skolor');
    expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked()).to.equal(true);
    expect(await page.locator('#field-cpv-q').inputValue(), 'the search words stay').to.equal('byggnadsstäd');
    expect(await page.locator('[data-cpv-results] input').count(), 'but no search ran').to.equal(0);
    expect(await page.locator('#field-deadlineTime').inputValue()).to.equal('12:00');

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
    // Matching runs in the workers: the count follows (the test fails if it never comes). The reach preview said 2 with
    // the Swan requirement: the strict firm without the licence is not matched.
    await eventually(async () => {
      await page.reload();
      return (await published.locator('td').nth(2).textContent()) === '2 (2)' ? true : undefined;
    }, 30_000).catch(async () => {
      throw new Error(`the matched firms never reached 2 (2): the row says ${await published.locator('tr').nth(1).textContent()}`);
    });
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
    await pick(page, '90911200');
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.getByRole('button', { name: 'Publicera' }).click()]);
    const noticeId = page.url().split('/').pop()!;
    // Editing: the same form, through the API's correction path (a new revision).
    await page.goto(`${c.t.app.url}/officer`);
    await page.getByRole('link', { name: 'Ändra: Golvvård' }).click();
    expect(await page.getByText('Diarienummer: KS 2026/501').count()).to.equal(1);
    await expectAccessible(page, 'edit form');
    expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked(), 'the stored codes in the picker').to.equal(true);
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

  it('without JavaScript: searches the picker, adds and removes lots keeping every value, previews the reach, saves and deletes a draft', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    await asOfficer(context);
    const page = await context.newPage();
    await page.goto(`${c.t.app.url}/officer/notices/new`);
    await page.getByLabel('Rubrik').fill('Parkskötsel och städ');
    // The picker's button searches; Enter in its search field searches too (the form comes back, nothing published).
    await page.locator('#field-cpv-q').fill('byggnadsstäd');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await page.locator('label[for="field-cpv-res-90911200"]').click();
    await page.locator('#field-cpv-q').fill('grönområden');
    await page.locator('#field-cpv-q').press('Enter');
    expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked(), 'the ticked result kept').to.equal(true);
    await page.locator('label[for="field-cpv-res-77310000"]').click();
    await page.getByRole('button', { name: 'Lägg till delområde' }).click();
    expect(await page.getByLabel('Rubrik').inputValue(), 'values kept').to.equal('Parkskötsel och städ');
    expect(await page.locator('#field-cpvMain option').allTextContents()).to.deep.equal(['90911200 Byggnadsstädning', '77310000 Plantering och skötsel av grönområden']);
    await page.locator('#field-cpvMain').selectOption('90911200');
    await page.getByLabel('Namn på delområde 1').fill('Skolor');
    await page.getByLabel('Huvudkod för delområde 1').selectOption('90911200');
    await page.getByRole('button', { name: 'Lägg till delområde' }).click();
    await page.getByLabel('Namn på delområde 2').fill('Parker');
    await page.getByLabel('Huvudkod för delområde 2').selectOption('77310000');
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
    expect(await again.getByLabel('Huvudkod för delområde 1').inputValue(), 'and its code').to.equal('77310000');
    expect(await again.locator('#field-cpvMain').inputValue(), 'and the main code').to.equal('90911200');
    await again.getByRole('button', { name: 'Förhandsgranska räckvidd' }).click();
    await expectAccessible(again, 'publish form with a lot and the reach');
    await screenshot(again, 'officer-form-lots');
    // Unticking a code: the selects follow, and the reach is asked again.
    await again.locator('label[for="field-cpv-sel-77310000"]').click();
    expect(await again.locator('#field-cpvMain option').allTextContents()).to.deep.equal(['90911200 Byggnadsstädning']);
    expect(await again.getByLabel('Huvudkod för delområde 1').inputValue(), 'a lot keeps its own code').to.equal('77310000');
    await eventually(async () => (await again.locator('#reach-result').textContent())?.includes('Når 3 företag'), 10_000);

    // Deleting the draft: a confirmation, then a POST and 303 back.
    await again.goto(`${c.t.app.url}/officer`);
    await again.getByRole('link', { name: 'Ta bort utkastet: Parkskötsel och städ' }).click();
    expect(await again.locator('h1').textContent()).to.equal('Ta bort utkastet');
    await expectAccessible(again, 'delete a draft');
    await Promise.all([again.waitForURL(/\/officer\?deleted=1$/), again.getByRole('button', { name: 'Ta bort utkastet' }).click()]);
    expect(await again.getByRole('status').textContent()).to.contain('Utkastet är borttaget.');
    expect(await again.locator('section', { has: again.locator('#group-drafts') }).textContent()).not.to.contain('Parkskötsel och städ');
    expect(await c.t.app.db.selectFrom('notice_drafts').select('id').where('title', '=', 'Parkskötsel och städ').execute()).to.deep.equal([]);
    await withJs.close();
  });

  it('an administrator chooses the buyer, on my notices and on the form', async () => {
    const context = await newContext(browser);
    await signInAs(context, c.t.app, 'admin@lerum.test', ['admin']);
    const page = await context.newPage();
    await page.goto(`${c.t.app.url}/officer`);
    expect(await page.locator('h1').textContent()).to.equal('Mina upphandlingar');
    expect(await page.locator('main').textContent()).to.contain('Du är administratör');
    await expectAccessible(page, 'my notices as an administrator (no buyer chosen)');
    await page.getByLabel('Upphandlande organisation').selectOption(buyerId);
    await Promise.all([page.waitForURL(/\/officer\?buyer=/), page.getByRole('button', { name: 'Visa' }).click()]);
    expect(await page.locator('section', { has: page.locator('#group-awarded') }).textContent()).to.contain('Golvvård i skolor');
    await expectAccessible(page, 'my notices as an administrator');

    // The form without a buyer chosen says so; with one, it publishes for it.
    await page.goto(`${c.t.app.url}/officer/notices/new`);
    await page.getByLabel('Diarienummer').fill('KS 2026/900');
    await page.getByLabel('Rubrik', { exact: true }).fill('Städning av förskolor');
    await pick(page, '90911200');
    await page.getByRole('button', { name: 'Publicera' }).click();
    expect(await page.locator('#error-summary').textContent()).to.contain('Välj upphandlande organisation.');
    await expectAccessible(page, 'publish form as an administrator, with errors');
    expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked(), 'values kept').to.equal(true);
    await page.locator('#field-buyerId').selectOption(buyerId);
    await Promise.all([page.waitForURL(NOTICE_PAGE), page.getByRole('button', { name: 'Publicera' }).click()]);
    const id = page.url().split('/').pop()!;
    const row = await c.t.app.db.selectFrom('notices').select(['buyer_id', 'reference']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ buyer_id: buyerId, reference: 'KS 2026/900' });
    await context.close();
  });

  it('every officer page passes axe in sv and en, desktop and mobile', async () => {
    await checkPage(browser, c.t.app, '/officer', 'officer-home', asOfficer);
    await checkPage(browser, c.t.app, '/officer/notices/new', 'officer-publish', asOfficer);
    await checkPage(browser, c.t.app, '/officer/direct-awards/new', 'officer-direct-award', asOfficer);
    const asAdmin = (context: BrowserContext) => signInAs(context, c.t.app, 'admin@lerum.test', ['admin']).then(() => undefined);
    await checkPage(browser, c.t.app, '/officer', 'officer-home-admin', asAdmin);
    await checkPage(browser, c.t.app, `/officer/notices/new?buyer=${buyerId}`, 'officer-publish-admin', asAdmin);
  });
});
