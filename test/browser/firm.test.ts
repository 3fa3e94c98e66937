// The firm's journey in Chromium: register (keyboard only), confirm from the
// e-mail, pick categories with the picker, subscribe, see a match with its
// reason after an officer publishes, mark it "inte relevant", unsubscribe
// from the e-mail's link. Every page through axe, the form with errors too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, eventually, type TestApp } from '../helpers/app.ts';
import { inDays, nextOrgNumber } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';
import { startFirmPagesApp } from './cpv-labels.ts';


/** The e-mails written to the file outbox, newest last, as text. */
function outbox(t: TestApp): string[] {
  const dir = join(t.dir, 'outbox');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** A link in an e-mail (quoted-printable soft breaks undone), moved to the test app's address. */
function linkIn(mail: string, path: string, t: TestApp): string | null {
  const text = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const found = text.match(new RegExp(`https?://[^\\s"<>]+${path}[^\\s"<>]+`));
  return found ? found[0].replace(/^https?:\/\/[^/]+/, t.app.url) : null;
}

async function tabTo(page: Page, selector: string, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

describe('web: the firm’s journey (Chromium)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let browser: Browser;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startFirmPagesApp();
    // Last year's notices, for the picker's counts.
    await api(t.app, 'POST', '/api/notices', {
      reference: 'KS 2025/1', title: 'Städning av skolor', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' }, deadline: inDays(10),
    });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  let companyId = '';
  const email = `info-${Date.now()}@stadbolaget.example`;

  it('registers with the keyboard only: errors first, then the form sent', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/register`);
    await expectAccessible(page, 'register (empty)');
    await screenshot(page, 'firm-register');

    // Sent empty: the error summary, focused, every field named.
    await tabTo(page, 'button.button--primary[type=submit]');
    await page.keyboard.press('Enter');
    await page.locator('#error-summary').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('error-summary');
    const summary = await page.locator('#error-summary').innerText();
    expect(summary).to.contain('organisationsnummer');
    expect(summary).to.contain('Vad företaget säljer');
    await expectAccessible(page, 'register (errors)');
    await screenshot(page, 'firm-register-errors');

    // A wrong check digit is told as typed.
    await tabTo(page, '#field-orgNumber');
    await page.keyboard.type('556123-4560');
    await page.keyboard.press('Tab');
    await eventually(async () => (await page.locator('#orgnr-status').innerText()).includes('Kontrollsiffran'));
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(nextOrgNumber());
    await page.keyboard.press('Tab');
    await eventually(async () => (await page.locator('#orgnr-status').innerText()).includes('ser rätt ut'));

    await tabTo(page, '#field-name');
    await page.keyboard.type('Städbolaget i Lerum AB');
    await tabTo(page, '#field-municipalityCode');
    await page.keyboard.type('Lerum');
    await tabTo(page, '#field-email');
    await page.keyboard.type(email);

    // The picker: search as you type, tick a result with the space bar.
    await tabTo(page, '#field-categories-q');
    await page.keyboard.type('städ');
    await eventually(async () => (await page.locator('[data-cpv-status]').innerText()).includes('kategorier hittades'));
    await tabTo(page, 'input[value="90911200"]');
    await page.keyboard.press('Space');
    expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked()).to.equal(true);
    await expectAccessible(page, 'register (picker results)');

    // A certificate with its expiry date.
    await tabTo(page, '#field-csr-iso-14001');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2028-12-31');
    await screenshot(page, 'firm-register-filled');

    await tabTo(page, 'button.button--primary[type=submit]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    if (!page.url().endsWith('/register/sent')) console.log(await page.locator('#error-summary').innerText().catch(() => page.content()));
    await page.waitForURL(/\/register\/sent$/);
    expect(await page.locator('h1').innerText()).to.equal('Kontrollera din e-post');
    await expectAccessible(page, 'register sent');
    await context.close();

    const company = await t.app.db.selectFrom('companies').select(['id', 'municipality_code']).where('email', '=', email).executeTakeFirstOrThrow();
    companyId = company.id;
    expect(company.municipality_code).to.equal('1441');
    const caps = await t.app.db.selectFrom('company_capabilities').selectAll().where('company_id', '=', companyId).execute();
    expect(caps.map((c) => [c.capability, c.valid_until])).to.deep.equal([['iso-14001', '2028-12-31']]);
  });

  it('the register page and the picker work without JavaScript (search, browse) and pass axe in sv and en', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE' });
    const page = await context.newPage();
    await page.goto(`${t.app.url}/register?cpvq=${encodeURIComponent('städ')}`);
    expect(await page.locator('[data-cpv-results] input[value="90911200"]').count()).to.equal(1);
    expect(await page.locator('[data-cpv-results]').innerText()).to.contain('1 upphandlingar senaste 12 månaderna');
    await page.locator('#field-name').fill('Kvar efter sökningen AB');
    await page.locator('label[for="field-categories-res-90911000"]').click();
    await page.locator('details.cpv-picker__browse summary').click();
    await page.getByRole('button', { name: 'Visa underkategorier till 90000000' }).click();
    expect(await page.locator('#field-name').inputValue()).to.equal('Kvar efter sökningen AB');
    expect(await page.locator('[data-cpv-selected] input[value="90911000"]').isChecked()).to.equal(true);
    expect(await page.locator('.cpv-picker__tree').innerText()).to.contain('90900000 Städ- och saneringstjänster');
    await context.close();
    await checkPage(browser, t.app, '/register', 'firm-register-page');
    await checkPage(browser, t.app, '/register/sent', 'firm-register-sent');
  });

  it('GET /api/cpv searches the labels, bounded', async () => {
    const res = await api(t.app, 'GET', `/api/cpv?q=${encodeURIComponent('städ')}&limit=2`, undefined, { token: null });
    expect(res.status).to.equal(200);
    expect(res.body.items).to.have.length(2);
    expect(res.body.total).to.be.greaterThan(2);
    expect((await api(t.app, 'GET', '/api/cpv?limit=500', undefined, { token: null })).status).to.equal(400);
  });

  let context: BrowserContext;
  it('confirms from the e-mail and signs in', async () => {
    const mail = await eventually(async () => outbox(t).find((m) => m.includes(email) && /\/confirm\//.test(m.replace(/=\r?\n/g, ''))));
    const link = linkIn(mail, '/confirm/', t)!;
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(link);
    await expectAccessible(page, 'confirm');
    await page.locator('main button[type=submit]').first().click();
    await eventually(async () => {
      const row = await t.app.db.selectFrom('companies').select('email_status').where('id', '=', companyId).executeTakeFirst();
      return row?.email_status === 'confirmed';
    });
    await signInAs(context, t.app, email, ['firm'], { companyId });
    await page.goto(`${t.app.url}/firm`);
    expect(await page.locator('h1').innerText()).to.equal('Våra träffar');
    await expectAccessible(page, 'dashboard');
  });

  it('subscribes with the picker, with an estimate per month', async () => {
    const page = await context.newPage();
    await page.goto(`${t.app.url}/firm/subscriptions`);
    await expectAccessible(page, 'subscriptions');
    await page.getByRole('link', { name: 'Ny bevakning' }).click();
    await page.locator('#field-name').fill('Fönsterputs');
    await page.locator('#field-cpv-q').fill('fönster');
    await eventually(async () => (await page.locator('[data-cpv-status]').innerText()).includes('hittades'));
    await page.locator('label[for="field-cpv-res-90911300"]').click();
    await page.locator('label[for="field-frequency-0"]').click();
    await expectAccessible(page, 'new subscription');
    await screenshot(page, 'firm-subscription-form');
    await page.getByRole('button', { name: 'Skapa bevakningen' }).click();
    await page.waitForURL(/done=saved/);
    expect(await page.locator('main').innerText()).to.contain('Fönsterputs');
    expect(await page.locator('main').innerText()).to.match(/Ungefär \d+ upphandlingar i månaden/);
    await expectAccessible(page, 'subscriptions (two)');
    await screenshot(page, 'firm-subscriptions');

    // With errors: the summary, values kept.
    await page.goto(`${t.app.url}/firm/subscriptions/new`);
    await page.locator('#field-minValue').fill('500');
    await page.locator('#field-maxValue').fill('100');
    await page.getByRole('button', { name: 'Skapa bevakningen' }).click();
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#field-minValue').inputValue()).to.equal('500');
    await expectAccessible(page, 'new subscription (errors)');
    await page.close();
  });

  it('sees a match with its reason after a notice is published, and marks it "inte relevant"', async () => {
    await api(t.app, 'POST', '/api/notices', {
      reference: 'KS 2026/9', title: 'Fönsterputsning av Lerums skolor', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
      cpv: { main: '90911300' }, deadline: inDays(20), criteria: { requirements: ['svanen'] },
    });
    await eventually(async () => (await t.app.db.selectFrom('matches').select('id').where('company_id', '=', companyId).execute()).length >= 2, 30_000);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/firm`);
    const main = await page.locator('main').innerText();
    expect(main).to.contain('Fönsterputsning av Lerums skolor');
    expect(main).to.contain('Varför den matchar');
    expect(main).to.contain('Saknas: Svanenmärkt');
    await expectAccessible(page, 'dashboard with matches');
    await screenshot(page, 'firm-dashboard');
    const match = page.locator('li.match', { hasText: 'Fönsterputsning av Lerums skolor' });
    await match.locator('summary').click();
    await match.locator('label', { hasText: 'För långt bort' }).click();
    await match.getByRole('button', { name: 'Inte relevant' }).click();
    await page.waitForURL(/done=not-relevant/);
    expect(await page.locator('main').innerText()).not.to.contain('Fönsterputsning av Lerums skolor');
    const stored = await t.app.db.selectFrom('match_feedback').selectAll().where('company_id', '=', companyId).execute();
    expect(stored.map((f) => f.reason)).to.deep.equal(['too-far']);
    await page.getByRole('link', { name: /Visa även/ }).click();
    expect(await page.locator('main').innerText()).to.contain('Inte relevant (För långt bort)');
    await expectAccessible(page, 'dashboard with a match marked');
    await page.close();
  });

  it('unsubscribes from the link in an alert', async () => {
    const mail = await eventually(async () => outbox(t).find((m) => m.includes('/unsubscribe/') || m.replace(/=\r?\n/g, '').includes('/unsubscribe/')), 30_000);
    const link = linkIn(mail, '/unsubscribe/', t)!;
    const page = await context.newPage();
    await page.goto(link);
    await expectAccessible(page, 'unsubscribe');
    await page.locator('main button[type=submit]').first().click();
    await page.waitForLoadState();
    await page.goto(`${t.app.url}/firm/subscriptions`);
    expect(await page.locator('main').innerText()).to.contain('Pausad');
    await page.goto(`${t.app.url}/firm/deliveries`);
    expect(await page.locator('main').innerText()).to.contain('Fönsterputsning av Lerums skolor');
    await page.close();
    await context.close();
  });

  it('every firm page passes axe in sv and en, desktop and mobile', async () => {
    const signIn = async (c: BrowserContext) => void (await signInAs(c, t.app, email, ['firm'], { companyId }));
    for (const [path, name] of [['/firm', 'firm-dashboard'], ['/firm/subscriptions', 'firm-subscriptions'], ['/firm/subscriptions/new', 'firm-subscription-new'], ['/firm/deliveries', 'firm-deliveries']]) {
      await checkPage(browser, t.app, path, name, signIn);
    }
  });
});
