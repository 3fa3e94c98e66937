// The statistics pages in Chromium over Upphandlingsmyndigheten's 2021 files
// (../shared/data, imported with the ingest service directly): staff open
// /staff/stats from /staff, see Lerum's 2021 figures with their definitions
// and unknowns, change the period with the form, download a CSV and the
// workbook, and open the yearly report (print CSS too). Every page is checked
// with axe in sv and en, and no Content-Security-Policy violation may be
// reported (the charts are inline SVG, which must carry no inline style).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ingestSources } from '../../src/ingest/ingest.service.ts';
import { fileSource } from '../../src/ingest/sources.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { checkPage, expectAccessible, launchBrowser, newContext, screenshot, signInAs } from './browser.ts';

const PROCUREMENTS = 'number_of_procurements.csv.gz';
const TENDERS = 'contracted_tenders_with_suppliers_2021-01_to_2021-09.csv.gz';

describe('web: statistics pages over the UHM 2021 data (Chromium)', function () {
  this.timeout(300_000);
  let t: TestApp;
  let browser: Browser;
  const asStaff = (context: BrowserContext) => signInAs(context, t.app, 'stina@brygga.test', ['staff']).then(() => undefined);

  /** A page that records every CSP violation Chromium reports on the console. */
  async function watchedPage(context: BrowserContext): Promise<{ page: Page; violations: string[] }> {
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
    return { page, violations };
  }

  before(async function () {
    const data = requireSharedData(this, 'sustainability', 'uhm-statistikdatabas-2021');
    browser = await launchBrowser(this);
    t = await startTestApp({ WORKERS: 'off' });
    const sources = [await fileSource(join(data, PROCUREMENTS)), await fileSource(join(data, TENDERS))];
    const summary = await ingestSources(t.app.db, sources, { format: 'auto', maxBytes: 200 * 1024 * 1024, sliceMs: 2000, pauseMs: 0 });
    expect(summary.files.every((f) => f.error === null)).to.equal(true);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('staff reach the statistics from /staff and see Lerum’s 2021 figures with definitions and unknowns', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const { page, violations } = await watchedPage(context);
    await page.goto(`${t.app.url}/staff`);
    await page.getByRole('main').getByRole('link', { name: 'Statistik', exact: true }).click();
    expect(new URL(page.url()).pathname).to.equal('/staff/stats');
    await page.locator('#field-period').fill('2021');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(page.url()).to.contain('period=2021').and.contain('buyer=2120001447');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Leverantörsstatistik');
    const main = page.getByRole('main');
    expect(await main.getByText('Visar 2021 för Lerums kommun. Föregående period: 2020.').count()).to.equal(1);
    expect(await main.getByText('Upphandlingar: 61 (varav direktupphandlingar: 0). Föregående period: 0.').count()).to.equal(1);
    expect(await main.getByText('Kontrakt: 68. Föregående period: 0.').count()).to.equal(1);
    // No firm or register is known here and UHM gives no supplier number: every place is unknown, and said so.
    expect(await main.getByText('Okänd ort: 68 av 68 kontrakt.').count()).to.equal(1);
    expect(await main.getByText('Lokal andel av kontrakten (antal): kan inte beräknas (inget känt)').count()).to.equal(1);
    expect(await main.getByText(/^Andel kontrakt till mikro-, små och medelstora företag: 52,9\s% \(36 av 68\)$/).count()).to.equal(1);
    expect(await main.locator('.stat-definition').count()).to.be.at.least(10);
    // Charts: a figure with a caption, an SVG without inline styles, a summary and a table.
    const charts = main.locator('figure.chart');
    expect(await charts.count()).to.equal(3);
    for (let i = 0; i < 3; i++) {
      const chart = charts.nth(i);
      expect(await chart.locator('figcaption').count()).to.equal(1);
      expect(await chart.locator('svg[role="img"]').count()).to.equal(1);
      expect(await chart.locator('[style], style').count()).to.equal(0);
      expect(await chart.locator('.chart__summary').count()).to.equal(1);
      expect(await chart.locator('table').count()).to.equal(1);
    }
    expect(await page.getByRole('table', { name: 'Kontrakt per leverantörsstorlek', exact: true }).locator('tbody tr').first().textContent()).to.contain('8');
    await expectAccessible(page, 'statistics 2021, Lerum');
    await screenshot(page, 'staff-stats-2021');
    expect(violations, 'CSP violations').to.deep.equal([]);

    // A quarter of all buyers, through the form.
    await page.locator('#field-period').fill('2021-Q1');
    await page.getByLabel('Köpare', { exact: true }).selectOption('all');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await main.getByText('Visar 2021-Q1 för alla köpare i Brygga. Föregående period: 2020-Q4.').count()).to.equal(1);
    // A period the form cannot read: the error summary and the field.
    await page.locator('#field-period').fill('2021-13');
    await page.getByRole('button', { name: 'Visa' }).click();
    expect(await page.locator('#error-summary').textContent()).to.contain('Ange en period');
    await expectAccessible(page, 'statistics with a form error');
    expect(violations, 'CSP violations').to.deep.equal([]);
    await context.close();
    await checkPage(browser, t.app, '/staff/stats?period=2021', 'staff-stats', asStaff);
  });

  it('the export links download the CSV (BOM, semicolons) and the workbook', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const { page } = await watchedPage(context);
    await page.goto(`${t.app.url}/staff/stats?period=2021`);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV för svenskt Excel – Kontrakt per leverantörsstorlek', exact: true }).click()]);
    expect(csv.suggestedFilename()).to.equal('brygga-statistik-2021-2120001447-size.csv');
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).to.equal(0xfeff);
    expect(text.slice(1).split('\r\n').slice(0, 3)).to.deep.equal(['Kod;Storlek;Kontrakt;Kontrakt föregående period', 'micro;Mikroföretag;8;0', 'small;Små företag;15;0']);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Alla tabeller som Excel-fil (.xlsx)' }).click()]);
    expect(xlsx.suggestedFilename()).to.equal('brygga-statistik-2021-2120001447.xlsx');
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).to.equal('PK');
    await context.close();
  });

  it('the yearly report renders with definitions, figures and unknowns, and prints without the menus', async () => {
    const context = await newContext(browser);
    await asStaff(context);
    const { page, violations } = await watchedPage(context);
    await page.goto(`${t.app.url}/staff/stats?period=2021`);
    await page.getByRole('link', { name: 'Årsrapport för 2021' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Uppföljning av leverantörsstatistik 2021');
    const main = page.getByRole('main');
    for (const heading of ['Definitioner', 'Talen för 2021', 'Utveckling över åren', 'Om det okända']) {
      expect(await main.getByRole('heading', { name: heading, exact: true }).count(), heading).to.equal(1);
    }
    expect(await main.getByText(/^Ort saknas för 68 av 68 kontrakt\./).count()).to.equal(1);
    await expectAccessible(page, 'yearly report 2021');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-nav').isVisible()).to.equal(false);
    expect(await page.locator('form.filter-form').isVisible()).to.equal(false);
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).to.equal(true);
    await screenshot(page, 'staff-stats-report-print');
    expect(violations, 'CSP violations').to.deep.equal([]);
    await context.close();
    await checkPage(browser, t.app, '/staff/stats/report?year=2021', 'staff-stats-report', asStaff);
  });
});
