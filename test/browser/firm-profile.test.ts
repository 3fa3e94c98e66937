// The firm's profile in Chromium: edit it (an error, then fixed), invite a
// user and remove them, change the e-mail language, download the export and
// delete the firm through its confirmation page. And Enter in the firm's forms:
// it sends the form, never the CPV picker's search button. Every page through axe.
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { api, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';
import { startFirmPagesApp } from './cpv-labels.ts';


describe('web: the firm’s profile, and Enter in the firm’s forms (Chromium)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let browser: Browser;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startFirmPagesApp();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** A firm registered through the API; its owner is the registration address. */
  async function registered(name: string) {
    const email = `info-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@${name.toLowerCase().replace(/\W/g, '')}.example`;
    const res = await api(t.app, 'POST', '/api/companies', { orgNumber: nextOrgNumber(), name, email, municipalityCode: '1441', categories: ['90911200'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return { id: res.body.id as string, email };
  }

  describe('Enter in a text field sends the form', () => {
    for (const js of [false, true]) {
      it(`registration, ${js ? 'with' : 'without'} JavaScript: Enter in the company name leads to “check your e-mail”`, async () => {
        const context = await browser.newContext({ javaScriptEnabled: js, locale: 'sv-SE' });
        const page = await context.newPage();
        await page.goto(`${t.app.url}/register?categories=90911200`);
        expect(await page.locator('[data-cpv-selected] input[value="90911200"]').isChecked()).to.equal(true);
        await page.locator('#field-orgNumber').fill(nextOrgNumber());
        await page.locator('#field-municipalityCode').selectOption('1441');
        await page.locator('#field-email').fill(`enter-${js}-${Date.now()}@fonsterputs.example`);
        await page.locator('#field-name').fill('Enter-tryckarna AB');
        await page.locator('#field-name').press('Enter');
        await page.waitForURL(/\/register\/sent$/);
        expect(await page.locator('h1').innerText()).to.equal('Kontrollera din e-post');
        await context.close();
        const stored = await t.app.db.selectFrom('companies').select('name').where('name', '=', 'Enter-tryckarna AB').execute();
        expect(stored.length).to.equal(js ? 2 : 1);
      });
    }

    it('without JavaScript, Enter in the picker’s search field still searches, every value kept', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE' });
      const page = await context.newPage();
      await page.goto(`${t.app.url}/register`);
      await page.locator('#field-name').fill('Kvar efter Enter AB');
      await page.locator('#field-categories-q').fill('fönster');
      await Promise.all([page.waitForNavigation(), page.locator('#field-categories-q').press('Enter')]);
      expect(new URL(page.url()).pathname).to.equal('/register');
      expect(await page.locator('#error-summary').count()).to.equal(0);
      expect(await page.locator('[data-cpv-results] input[value="90911300"]').count()).to.equal(1);
      expect(await page.locator('#field-name').inputValue()).to.equal('Kvar efter Enter AB');
      // Ticked, and Enter in the name field now sends the form (the search shown is the one typed).
      await page.locator('label[for="field-categories-res-90911300"]').click();
      await page.locator('#field-name').press('Enter');
      await page.locator('#error-summary').waitFor();
      expect(await page.locator('#error-summary').innerText()).to.contain('organisationsnummer');
      expect(await page.locator('[data-cpv-selected] input[value="90911300"]').isChecked()).to.equal(true);
      await context.close();
    });

    it('a subscription, without JavaScript: Enter in its name saves it', async () => {
      const firm = await registered('Bevakarna AB');
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'sv-SE' });
      await signInAs(context, t.app, firm.email, ['firm'], { companyId: firm.id });
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/subscriptions/new?cpv=90911300`);
      await page.locator('#field-name').fill('Fönster med Enter');
      await page.locator('#field-name').press('Enter');
      await page.waitForURL(/done=saved/);
      expect(await page.locator('main').innerText()).to.contain('Fönster med Enter');
      await context.close();
    });
  });

  describe('the profile', () => {
    let firm: { id: string; email: string };
    let context: BrowserContext;
    const invited = `kollega-${Date.now()}@profilbolaget.example`;
    const signIn = async (c: BrowserContext) => void (await signInAs(c, t.app, firm.email, ['firm'], { companyId: firm.id }));

    before(async () => {
      firm = await registered('Profilbolaget AB');
      context = await newContext(browser);
      await signIn(context);
    });
    after(async () => context?.close());

    it('is in the firm’s menu and passes axe in sv and en, desktop and mobile', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm`);
      await page.locator('nav.firm-nav').getByRole('link', { name: 'Profil och användare' }).click();
      await page.waitForURL(/\/firm\/profile$/);
      expect(await page.locator('h1').innerText()).to.equal('Profil och användare');
      expect(await page.locator('nav.firm-nav [aria-current=page]').innerText()).to.equal('Profil och användare');
      await page.close();
      await checkPage(browser, t.app, '/firm/profile', 'firm-profile', signIn);
    });

    it('edits the profile: an error in the summary with the values kept, then saved', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.locator('#field-name').fill('');
      await page.locator('#field-email').fill('ny-adress@profilbolaget.example');
      await page.getByRole('button', { name: 'Spara profilen' }).click();
      await page.locator('#error-summary').waitFor();
      expect(await page.locator('#error-summary').innerText()).to.contain('Företagets namn');
      expect(await page.locator('#field-email').inputValue()).to.equal('ny-adress@profilbolaget.example');
      expect(await page.locator('#field-name').getAttribute('aria-invalid')).to.equal('true');
      await expectAccessible(page, 'profile (errors)');
      await screenshot(page, 'firm-profile-errors');

      await page.locator('#field-name').fill('Profilbolaget i Lerum AB');
      await page.locator('#field-name').press('Enter'); // the form's main action, not the picker's search
      await page.waitForURL(/done=saved/);
      expect(await page.locator('[role=status]').first().innerText()).to.contain('Profilen är sparad.');
      const row = await t.app.db.selectFrom('companies').select(['name', 'email', 'email_status']).where('id', '=', firm.id).executeTakeFirstOrThrow();
      expect(row).to.deep.equal({ name: 'Profilbolaget i Lerum AB', email: 'ny-adress@profilbolaget.example', email_status: 'unconfirmed' });
      await expectAccessible(page, 'profile (saved)');
      await page.close();
    });

    it('invites a user (an address already taken is said beside the field), who sees the page without the owner’s forms', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.locator('#field-inviteEmail').fill(firm.email);
      await page.getByRole('button', { name: 'Bjud in' }).click();
      await page.locator('#error-summary').waitFor();
      expect(await page.locator('#error-summary').innerText()).to.contain('Adressen tillhör redan en användare');
      await expectAccessible(page, 'profile (invite refused)');

      await page.locator('#field-inviteEmail').fill(invited);
      await page.locator('#field-inviteName').fill('Kim Kollega');
      await page.getByRole('button', { name: 'Bjud in' }).click();
      await page.waitForURL(/done=invited/);
      expect(await page.locator('ul.firm-users').innerText()).to.contain(`${invited} (Kim Kollega)`);
      const user = await t.app.db.selectFrom('users').select(['company_id', 'is_owner', 'roles']).where('email', '=', invited).executeTakeFirstOrThrow();
      expect(user).to.deep.equal({ company_id: firm.id, is_owner: 0, roles: 'firm' });
      await expectAccessible(page, 'profile (invited)');
      await page.close();

      const colleague = await newContext(browser);
      await signInAs(colleague, t.app, invited, ['firm'], { companyId: firm.id });
      const theirs = await colleague.newPage();
      await theirs.goto(`${t.app.url}/firm/profile`);
      const main = await theirs.locator('main').innerText();
      expect(main).to.contain('Bara ägare kan bjuda in och ta bort användare.');
      expect(await theirs.getByRole('button', { name: 'Bjud in' }).count()).to.equal(0);
      expect(await theirs.getByRole('link', { name: 'Ta bort företaget' }).count()).to.equal(0);
      await expectAccessible(theirs, 'profile (not an owner)');
      expect((await theirs.goto(`${t.app.url}/firm/profile/delete`))?.status()).to.equal(403);
      await colleague.close();
    });

    it('removes the user', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.getByRole('button', { name: `Ta bort ${invited}` }).click();
      await page.waitForURL(/done=removed/);
      expect(await page.locator('main').innerText()).to.contain('Användaren är borttagen.');
      expect(await page.locator('ul.firm-users').innerText()).not.to.contain(invited);
      expect(await t.app.db.selectFrom('users').select('id').where('email', '=', invited).executeTakeFirst()).to.equal(undefined);
      await expectAccessible(page, 'profile (removed)');
      await page.close();
    });

    it('changes the language the firm’s e-mail goes out in', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.locator('#field-language').getByText('English').click();
      await page.getByRole('button', { name: 'Spara språket' }).click();
      await page.waitForURL(/done=language/);
      expect(await page.locator('main').innerText()).to.contain('E-postens språk är sparat.');
      expect(await page.locator('#field-language input[value=en]').isChecked()).to.equal(true);
      expect(await page.locator('html').getAttribute('lang')).to.equal('sv'); // the pages keep the reader's language
      const row = await t.app.db.selectFrom('companies').select('language').where('id', '=', firm.id).executeTakeFirstOrThrow();
      expect(row.language).to.equal('en');
      await page.close();
    });

    it('downloads the export', async () => {
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      const href = await page.getByRole('link', { name: 'Hämta allt vi har om företaget (JSON)' }).getAttribute('href');
      const res = await context.request.get(`${t.app.url}${href}`);
      expect(res.status()).to.equal(200);
      expect(res.headers()['content-disposition']).to.contain(`brygga-${firm.id}.json`);
      const document = await res.json();
      expect(document.company.name).to.equal('Profilbolaget i Lerum AB');
      expect(document.users.map((u: { email: string }) => u.email)).to.deep.equal([firm.email]);
      await page.close();
    });

    it('deletes the firm after the confirmation page, and is signed out', async () => {
      await checkPage(browser, t.app, '/firm/profile/delete', 'firm-delete', signIn);
      const page = await context.newPage();
      await page.goto(`${t.app.url}/firm/profile`);
      await page.getByRole('link', { name: 'Ta bort företaget' }).click();
      await page.waitForURL(/\/firm\/profile\/delete$/);
      expect(await page.locator('main').innerText()).to.contain('Ni håller på att ta bort Profilbolaget i Lerum AB.');

      await page.locator('#field-confirmName').fill('Något annat AB');
      await page.getByRole('button', { name: 'Ta bort företaget för gott' }).click();
      await page.locator('#error-summary').waitFor();
      expect(await page.locator('#error-summary').innerText()).to.contain('Namnet stämmer inte');
      expect(await t.app.db.selectFrom('companies').select('id').where('id', '=', firm.id).executeTakeFirst()).not.to.equal(undefined);
      await expectAccessible(page, 'delete (mismatch)');

      await page.locator('#field-confirmName').fill('profilbolaget i lerum ab');
      await page.getByRole('button', { name: 'Ta bort företaget för gott' }).click();
      await page.waitForURL(/\/firm\/deleted$/);
      expect(await page.locator('h1').innerText()).to.equal('Företaget är borttaget');
      expect(await page.locator('header').innerText()).to.contain('Logga in'); // signed out
      await expectAccessible(page, 'deleted');
      expect(await t.app.db.selectFrom('companies').select('id').where('id', '=', firm.id).executeTakeFirst()).to.equal(undefined);
      expect(await t.app.db.selectFrom('users').select('id').where('company_id', '=', firm.id).execute()).to.deep.equal([]);
      expect((await page.goto(`${t.app.url}/firm/profile`))?.status()).to.equal(401);
      await page.close();
      await checkPage(browser, t.app, '/firm/deleted', 'firm-deleted');
    });
  });
});
