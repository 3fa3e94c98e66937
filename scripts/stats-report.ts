// npm run stats:report -- --year 2021 --out report.pdf [--buyer <organisationsnummer>|all] [--lang sv|en] [--url <Brygga's address>]
// The yearly report (/staff/stats/report) as a PDF, printed by the same Chromium
// the browser tests use (chromium-headless-shell or chromium; CHROMIUM_PATH to
// choose) through playwright-core, with the page's print CSS. It asks a running
// Brygga (--url, default PUBLIC_URL) with a staff or admin API token in
// BRYGGA_TOKEN (`npm run users -- token`). Without Chromium it says so and exits 3.
// Exit code: 0, 2 on a usage error, 3 without Chromium, 1 when the page cannot be had.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const USAGE = 'usage: BRYGGA_TOKEN=<staff or admin API token> npm run stats:report -- --year 2021 --out report.pdf [--buyer <organisationsnummer>|all] [--lang sv|en] [--url http://localhost:3000]';
function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: { year?: string; out?: string; buyer?: string; lang?: string; url?: string };
try {
  ({ values } = parseArgs({ options: { year: { type: 'string' }, out: { type: 'string' }, buyer: { type: 'string' }, lang: { type: 'string', default: 'sv' }, url: { type: 'string' } } }));
} catch (error) {
  usage((error as Error).message);
}
if (!values.year || !/^\d{4}$/.test(values.year)) usage('give --year as four digits');
if (!values.out) usage('give --out, the PDF file to write');
if (values.lang !== 'sv' && values.lang !== 'en') usage('--lang: sv or en');
const token = process.env.BRYGGA_TOKEN;
if (!token) usage('set BRYGGA_TOKEN to a staff or admin API token');
const base = (values.url ?? process.env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');

const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/lib/chromium/chromium'];
const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
if (!executablePath) {
  console.error('No Chromium found (install chromium-headless-shell, e.g. apt-get install --no-install-recommends chromium-headless-shell, or set CHROMIUM_PATH): no PDF written. The report page prints to PDF from any browser as well.');
  process.exit(3);
}

const query = new URLSearchParams({ year: values.year, ...(values.buyer ? { buyer: values.buyer } : {}) });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const context = await browser.newContext({
    locale: values.lang === 'en' ? 'en-GB' : 'sv-SE', timezoneId: 'Europe/Stockholm',
    extraHTTPHeaders: { authorization: `Bearer ${token}`, 'accept-language': values.lang === 'en' ? 'en-GB,en' : 'sv-SE,sv' },
  });
  const page = await context.newPage();
  const response = await page.goto(`${base}/staff/stats/report?${query}`, { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    console.error(`${base}/staff/stats/report answered ${response?.status() ?? 'nothing'}: is Brygga running there, and is the token a staff or admin token?`);
    process.exitCode = 1;
  } else {
    await page.pdf({ path: values.out, format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
    console.log(`${values.out}: ${await page.title()}`);
  }
} finally {
  await browser.close();
}
