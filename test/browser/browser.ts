// Real Chromium for the page tests: Debian's chromium-headless-shell or
// chromium (CHROMIUM_PATH to choose another), driven by playwright-core.
// Without a browser the tests skip with a visible reason, except in CI, where
// they must run. Every page is checked with axe (WCAG 2.1 A and AA) and with
// what axe cannot check; screenshots go to var/screenshots/ for people to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { addUser } from '../../src/accounts/accounts.service.ts';
import { SESSION_COOKIE, startSession } from '../../src/accounts/sessions.service.ts';
import type { Role } from '../../src/domain/access.ts';
import type { App } from '../helpers/app.ts';

const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/lib/chromium/chromium'];

export function chromiumPath(): string | null {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** Launches Chromium for a suite's `before` hook, or skips the suite saying why (fails in CI). */
export async function launchBrowser(suite: Mocha.Context): Promise<Browser> {
  const path = chromiumPath();
  if (!path) {
    const reason = 'no Chromium found (install chromium-headless-shell or set CHROMIUM_PATH)';
    if (process.env.CI === 'true') throw new Error(`browser tests must run in CI: ${reason}`);
    console.log(`      skipped: ${reason}`);
    suite.skip();
  }
  // The flags keep Chromium from calling home: this machine's network is closed.
  return chromium.launch({
    executablePath: path!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export type Viewport = 'desktop' | 'mobile';
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, mobile: { width: 390, height: 844 } };

/** A fresh browser context (own cookies), reading Swedish unless told. */
export function newContext(browser: Browser, { lang = 'sv', viewport = 'desktop' as Viewport } = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: lang === 'en' ? 'en-GB' : 'sv-SE', viewport: VIEWPORTS[viewport], timezoneId: 'Europe/Stockholm' });
}

/** A user with these roles (created when new), signed in in this context through a real session cookie. */
export async function signInAs(context: BrowserContext, app: App, email: string, roles: Role[], org: { companyId?: string; buyerId?: string } = {}): Promise<string> {
  const existing = await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  const userId = existing?.id ?? (await addUser(app.db, { email, roles, ...org }));
  const { token } = await startSession(app.db, userId, app.config.sessions);
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: app.url }]);
  return userId;
}

/**
 * Zero axe violations (WCAG 2.0/2.1 A and AA), plus what axe does not check:
 * the language attribute, one h1, a skip link to the main content as the
 * first thing Tab reaches, a visible focus, a label for every field.
 */
export async function expectAccessible(page: Page, state = page.url()): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const described = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(described, `axe on ${state}`).to.deep.equal([]);

  expect(await page.locator('html').getAttribute('lang'), `lang on ${state}`).to.match(/^(sv|en)$/);
  expect(await page.locator('h1').count(), `one h1 on ${state}`).to.equal(1);
  const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (fields) =>
    fields.filter((f) => !(f.id && document.querySelector(`label[for="${f.id}"]`)) && !f.closest('label') && !f.getAttribute('aria-label') && !f.getAttribute('aria-labelledby')).map((f) => f.outerHTML.slice(0, 80)));
  expect(unlabelled, `fields without a label on ${state}`).to.deep.equal([]);

  await page.evaluate(() => { // focus starts at the top of the document, as on arrival
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return { href: el.getAttribute('href'), outline: style.outlineStyle, width: style.outlineWidth };
  });
  expect(first.href, `skip link first on ${state}`).to.equal('#main');
  expect(first.outline !== 'none' && first.width !== '0px', `visible focus on ${state}`).to.equal(true);
}

/** Saves the page as var/screenshots/<name>-<lang>-<viewport>.png (full page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('var/screenshots', { recursive: true });
  const lang = await page.locator('html').getAttribute('lang');
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: `var/screenshots/${name}-${lang}-${width <= 400 ? 'mobile' : 'desktop'}.png`, fullPage: true });
}

/**
 * Opens `path` in sv and en, desktop and mobile, checks each with
 * expectAccessible and saves its screenshot. `prepare` signs the context in
 * when the page needs it.
 */
export async function checkPage(browser: Browser, app: App, path: string, name: string, prepare?: (context: BrowserContext) => Promise<void>): Promise<void> {
  for (const lang of ['sv', 'en'] as const) {
    for (const viewport of ['desktop', 'mobile'] as const) {
      const context = await newContext(browser, { lang, viewport });
      try {
        await prepare?.(context);
        const page = await context.newPage();
        const response = await page.goto(`${app.url}${path}`);
        expect(response?.status(), `${path} answers`).to.be.below(400);
        expect(await page.locator('html').getAttribute('lang')).to.equal(lang);
        await screenshot(page, name);
        if (viewport === 'desktop') await expectAccessible(page, `${path} (${lang})`);
      } finally {
        await context.close();
      }
    }
  }
}
