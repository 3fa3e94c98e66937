// The staff and admin pages in Chromium: staff open the firm directory with a
// filter, lift a suspension, import a file and see its summary, and read the
// audit log; an administrator adds a user and makes and revokes an API token.
// Every page, and a form with errors, is checked with axe in sv and en.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { registerCompany } from '../../src/companies/companies.service.ts';
import { recordPermanentFailure } from '../../src/companies/companies.repo.ts';
import type { Capability } from '../../src/domain/csr.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';

describe('web: staff and admin pages (Chromium)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let bygg: string;
  let suspended: string;

  const asStaff = (context: BrowserContext) => signInAs(context, t.app, 'stina@brygga.test', ['staff']).then(() => undefined);
  const asAdmin = (context: BrowserContext) => signInAs(context, t.app, 'ada@brygga.test', ['admin']).then(() => undefined);

  before(async function () {
    browser = await launchBrowser(this);
    t = await startTestApp({ WORKERS: 'off' });
    const firm = async (name: string, municipalityCode: string, categories: string[], csr: { capability: string; validUntil?: string | null }[] = []) =>
      (await registerCompany(t.app.db, {
        orgNumber: nextOrgNumber(), soleTrader: false, name, email: `${name.toLowerCase().replace(/\W/g, '')}@firma.example`,
        municipalityCode, language: 'sv', categories, csr: csr.map((c) => ({ capability: c.capability as Capability, validUntil: c.validUntil ?? null })),
      })).id;
    bygg = await firm('Lerums Bygg AB', '1441', ['45210000'], [{ capability: 'collective-agreement' }]);
    await firm('Partille Städ AB', '1402', ['90910000'], [{ capability: 'iso-14001', validUntil: '2099-12-31' }]);
    await firm('Boråsfrakt AB', '1490', ['60100000']);
    suspended = await firm('Studsande Måleri AB', '1441', ['45440000']);
    await recordPermanentFailure(t.app.db, suspended, 1);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('the start page counts firms, suspended addresses and jobs, and links to every staff page', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/staff`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Näringslivsenheten');
    expect(await page.getByText('3 lokala företag av 4 registrerade.').count()).to.equal(1);
    expect(await page.getByText('1 adress är spärrad.').count()).to.equal(1);
    for (const name of ['Företagsregister', 'Spärrade adresser', 'Importer', 'Köer', 'Granskningslogg']) {
      expect(await page.getByRole('main').getByRole('link', { name, exact: true }).count(), name).to.be.at.least(1);
    }
    expect(await page.getByRole('table', { name: 'Jobb per kö' }).count()).to.equal(1);
    await context.close();
    await checkPage(browser, t.app, '/staff', 'staff-start', asStaff);
  });

  it('the firm directory filters by area, category and capability, and opens a firm', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/staff/firms`);
    const rows = page.getByRole('table', { name: 'Företag som matchar urvalet' }).locator('tbody tr');
    expect(await rows.count(), 'local firms only').to.equal(3);
    await page.getByLabel('Bransch', { exact: true }).selectOption('45');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await rows.count()).to.equal(2);
    await page.getByLabel('Hållbarhetsförmåga', { exact: true }).selectOption('collective-agreement');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await rows.count()).to.equal(1);
    expect(page.url()).to.contain('category=45').and.contain('csr=collective-agreement');
    await expectAccessible(page, 'firm directory filtered');
    await page.getByRole('link', { name: 'Lerums Bygg AB' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Lerums Bygg AB');
    expect(page.url()).to.equal(`${t.app.url}/staff/firms/${bygg}`);
    await expectAccessible(page, 'a firm');
    await context.close();
    await checkPage(browser, t.app, '/staff/firms?area=all', 'staff-firms', asStaff);
    await checkPage(browser, t.app, `/staff/firms/${bygg}`, 'staff-firm', asStaff);
  });

  it('lifts a suspension', async () => {
    await checkPage(browser, t.app, '/staff/suspended', 'staff-suspended', asStaff);
    const context = await newContext(browser);
    await asStaff(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/staff/suspended`);
    await page.getByRole('button', { name: 'Häv spärren för Studsande Måleri AB' }).click();
    expect(await page.getByRole('status').textContent()).to.contain('Spärren för Studsande Måleri AB är hävd.');
    expect(await page.getByText('Inga adresser är spärrade.').count()).to.equal(1);
    await expectAccessible(page, 'suspension lifted');
    const company = await t.app.db.selectFrom('companies').select('email_status').where('id', '=', suspended).executeTakeFirstOrThrow();
    expect(company.email_status).to.equal('unconfirmed');
    await context.close();
  });

  it('imports a file and shows its summary; a missing file is an error beside the field', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/staff/imports`);
    await page.getByRole('button', { name: 'Läs in filen' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('Välj en fil att läsa in.');
    await expectAccessible(page, 'import form with errors');
    await screenshot(page, 'staff-imports-errors');

    await page.getByLabel('Fil').setInputFiles({ name: 'lerum-cn.xml', mimeType: 'application/xml', buffer: readFileSync('test/fixtures/eforms/lerum-cn.xml') });
    await page.getByRole('button', { name: 'Läs in filen' }).click();
    await page.getByText('Importen är klar').waitFor();
    const summary = page.getByRole('table', { name: 'Resultat' });
    expect(await summary.getByRole('row', { name: /Nya\s+1/ }).count()).to.equal(1);
    await expectAccessible(page, 'import summary');
    await screenshot(page, 'staff-import');

    // The same file again changes nothing; a bad row is listed with its reason.
    await page.goto(`${t.app.url}/staff/imports`);
    await page.getByLabel('Fil').setInputFiles({ name: 'lerum-cn.xml', mimeType: 'application/xml', buffer: readFileSync('test/fixtures/eforms/lerum-cn.xml') });
    await page.getByRole('button', { name: 'Läs in filen' }).click();
    await page.getByText('Importen är klar').waitFor();
    expect(await page.getByRole('table', { name: 'Resultat' }).getByRole('row', { name: /Oförändrade\s+1/ }).count()).to.equal(1);
    await page.goto(`${t.app.url}/staff/imports`);
    expect(await page.getByRole('table', { name: 'De 20 senaste importerna från den här sidan' }).locator('tbody tr').count()).to.equal(2);
    await context.close();
    await checkPage(browser, t.app, '/staff/imports', 'staff-imports', asStaff);
  });

  it('shows the progress of a big import while it runs, then its summary with the rejected rows', async () => {
    const header = 'Upphandlings-ID,Upphandlingens titel,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Publiceringsdatum,"Antal upphandlingar, Summa"';
    const rows = Array.from({ length: 6000 }, (_, i) => `BIG-${i},Städning av skola ${i},LERUMS KOMMUN,2120001447,90910000 Rengöring,2021-03-01,1`);
    rows.splice(10, 0, 'BAD-1,Utan kod,LERUMS KOMMUN,2120001447,,2021-03-01,1');
    const context = await newContext(browser);
    await asStaff(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/staff/imports`);
    // The progress view reloads itself once its status says the import is done, which would pull the page away
    // from under the accessibility check: until that check is over, the status answers "still running".
    const running = '**/staff/imports/*/status';
    await page.route(running, (route) => route.fulfill({ json: { state: 'running', percent: 50, pass: 1 } }));
    await page.getByLabel('Fil').setInputFiles({ name: 'statistik.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${rows.join('\n')}\n`) });
    await page.getByRole('button', { name: 'Läs in filen' }).click();
    if (await page.locator('#import-meter').count()) { // still running: the progress view, kept up to date by the script
      expect(await page.getByRole('status').textContent()).to.match(/% klart/);
      await expectAccessible(page, 'import in progress');
      await screenshot(page, 'staff-import-progress');
    }
    await page.unroute(running);
    await page.getByText('Importen är klar').waitFor({ timeout: 90_000 });
    expect(await page.getByRole('table', { name: 'Resultat' }).getByRole('row', { name: /Nya\s+6\s?000/ }).count()).to.equal(1);
    const rejected = page.getByRole('table', { name: 'Annonser som inte kunde läsas in, med skälet' });
    expect(await rejected.locator('tbody tr').count()).to.equal(1);
    await expectAccessible(page, 'import with rejected rows');
    await context.close();
  });

  it('reads the audit log with filters, and says when the dates are the wrong way round', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/staff/audit`);
    const rows = page.getByRole('table', { name: 'Händelser, nyaste först' }).locator('tbody tr');
    expect(await rows.count()).to.be.at.least(4); // the lift and the three imports
    await page.getByLabel('Händelse', { exact: true }).selectOption('company.lift-suspension');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await rows.count()).to.equal(1);
    await page.getByLabel('Användare').fill('stina@');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await rows.count()).to.equal(1);
    await page.getByLabel('Användare').fill('nobody@');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await page.getByText('Inga händelser matchar urvalet.').count()).to.equal(1);
    await page.goto(`${t.app.url}/staff/audit?from=2026-03-02&to=2026-03-01`);
    expect(await page.getByRole('alert').textContent()).to.contain('Till och med får inte vara före från och med.');
    await expectAccessible(page, 'audit filter with errors');
    await context.close();
    await checkPage(browser, t.app, '/staff/audit', 'staff-audit', asStaff);
  });

  it('an administrator adds a user (after fixing the form), changes their roles and removes them', async () => {
    const context = await newContext(browser);
    await asAdmin(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/admin`);
    await page.locator('#field-email').fill('not an address');
    await page.getByRole('checkbox', { name: /^Upphandlare/ }).check({ force: true });
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).to.contain('E-postadress har fel format.');
    expect(await page.getByRole('checkbox', { name: /^Upphandlare/ }).isChecked(), 'values kept').to.equal(true);
    await expectAccessible(page, 'add user with errors');
    await screenshot(page, 'admin-users-errors');

    await page.locator('#field-email').fill('olle@lerum.se');
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    expect(await page.getByRole('alert').textContent(), 'an officer needs a buyer').to.contain('En upphandlare behöver organisationsnumret');
    await page.getByLabel('Upphandlande organisationens organisationsnummer').fill('212000-1363');
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    expect(await page.getByRole('alert').textContent(), 'no such buyer yet').to.contain('Ingen upphandlande organisation');

    await page.goto(`${t.app.url}/admin/buyers`);
    await page.locator('#field-name').fill('Partille kommun');
    await page.locator('#field-orgNumber').fill('212000-1363');
    await page.getByRole('button', { name: 'Lägg till organisationen' }).click();
    expect(await page.getByRole('status').textContent()).to.contain('Partille kommun är tillagd.');
    await expectAccessible(page, 'buyer added');

    await page.goto(`${t.app.url}/admin`);
    await page.locator('#field-email').fill('olle@lerum.se');
    await page.getByRole('checkbox', { name: /^Upphandlare/ }).check({ force: true });
    await page.getByLabel('Upphandlande organisationens organisationsnummer').fill('212000-1363');
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    expect(await page.getByRole('status').textContent()).to.contain('olle@lerum.se är tillagd.');
    const olle = await t.app.db.selectFrom('users').selectAll().where('email', '=', 'olle@lerum.se').executeTakeFirstOrThrow();
    expect(olle.roles).to.equal('officer');
    expect(olle.buyer_id).to.be.a('string');

    await page.getByRole('link', { name: 'olle@lerum.se' }).click();
    await page.getByRole('checkbox', { name: /^Näringsliv/ }).check({ force: true });
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    expect(await page.getByRole('status').textContent()).to.contain('Ändringarna är sparade.');
    expect((await t.app.db.selectFrom('users').select('roles').where('id', '=', olle.id).executeTakeFirstOrThrow()).roles).to.equal('officer staff');
    await expectAccessible(page, 'user changed');
    await context.close();
    await checkPage(browser, t.app, '/admin', 'admin-users', asAdmin);
    await checkPage(browser, t.app, `/admin/users/${olle.id}`, 'admin-user', asAdmin);
    await checkPage(browser, t.app, '/admin/buyers', 'admin-buyers', asAdmin);

    const again = await newContext(browser);
    await asAdmin(again);
    const remove = await again.newPage();
    await remove.goto(`${t.app.url}/admin/users/${olle.id}`);
    await remove.getByRole('button', { name: 'Ta bort olle@lerum.se' }).click();
    expect(await remove.getByRole('status').textContent()).to.contain('Användaren är borttagen.');
    expect(await t.app.db.selectFrom('users').select('id').where('id', '=', olle.id).executeTakeFirst()).to.equal(undefined);
    await again.close();
  });

  it('an administrator creates an API token, sees it once, uses it, and revokes it', async () => {
    const context = await newContext(browser);
    await asAdmin(context);
    const page = await context.newPage();
    await page.goto(`${t.app.url}/admin/tokens`);
    await page.getByLabel('Namn på nyckeln').fill('Import från TED');
    await page.getByRole('button', { name: 'Skapa nyckeln' }).click();
    const token = (await page.locator('#new-token').textContent())!.trim();
    expect(token).to.match(/^[0-9A-Z]{26}\.[\w-]+$/);
    await expectAccessible(page, 'token created');
    await screenshot(page, 'admin-token-created');
    const me = await fetch(`${t.app.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).to.equal(200);

    await page.reload();
    expect(await page.locator('#new-token').count(), 'shown once').to.equal(0);
    await page.getByRole('button', { name: 'Återkalla Import från TED' }).click();
    expect(await page.getByRole('status').textContent()).to.contain('API-nyckeln Import från TED är återkallad.');
    expect((await fetch(`${t.app.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).to.equal(401);

    await page.getByLabel('Giltig i antal dagar').fill('9999');
    await page.getByRole('button', { name: 'Skapa nyckeln' }).click();
    expect(await page.getByRole('alert').textContent()).to.contain('Fyll i Namn på nyckeln.');
    await expectAccessible(page, 'token form with errors');
    await context.close();
    await checkPage(browser, t.app, '/admin/tokens', 'admin-tokens', asAdmin);
  });
});
