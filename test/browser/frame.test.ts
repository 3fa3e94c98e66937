// The frame every page shares: language choice, skip link, menu by role,
// form tokens, and accessibility of the start page in both languages.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, signInAs } from './browser.ts';

describe('web: the frame of every page (Chromium)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let browser: Browser;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startTestApp({ WORKERS: 'off' });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('is Swedish by default, English when chosen, and remembers the choice', async () => {
    const context = await newContext(browser, { lang: 'sv' });
    const page = await context.newPage();
    await page.goto(t.app.url);
    expect(await page.locator('html').getAttribute('lang')).to.equal('sv');
    await page.getByRole('link', { name: 'In English' }).click();
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    await page.goto(`${t.app.url}/about`).catch(() => undefined);
    await page.goto(t.app.url);
    expect(await page.locator('html').getAttribute('lang'), 'remembered').to.equal('en');
    await page.getByRole('link', { name: 'På svenska' }).click();
    expect(await page.locator('html').getAttribute('lang')).to.equal('sv');
    await context.close();
  });

  it('follows the language switch back only to a page of this site', async () => {
    const response = await fetch(`${t.app.url}/lang/en?back=//evil.example/`, { redirect: 'manual' });
    expect(response.status).to.equal(303);
    expect(response.headers.get('location')).to.equal('/');
  });

  it('shows who is signed in and the menu for their role, and signs out', async () => {
    const context = await newContext(browser);
    await signInAs(context, t.app, 'stina@brygga.test', ['staff']);
    const page = await context.newPage();
    await page.goto(t.app.url);
    await expect(await page.getByText('Inloggad som stina@brygga.test').count()).to.equal(1);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Näringsliv' }).count()).to.equal(1);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Administration' }).count()).to.equal(0);
    await expectAccessible(page, 'start page signed in');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    expect(await page.getByRole('link', { name: 'Logga in' }).count()).to.equal(1);
    await context.close();
  });

  it('the start page passes axe in sv and en, desktop and mobile', async () => {
    await checkPage(browser, t.app, '/', 'start');
  });
});
