// People who follow a link from an e-mail, or mistype an address, get a real
// page in their language with the right status; API clients keep the JSON shape.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect } from 'chai';
import { pino } from 'pino';
import { errorHandler } from '../../src/http/errors.ts';
import { errorPage } from '../../src/web/error-page.tsx';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ENGLISH = 'en-GB,en;q=0.9,sv;q=0.5';

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { headers });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, text, json: type.includes('json') ? JSON.parse(text) : null };
}

/** A page with Brygga's layout, in the given language, with a heading, an explanation and a way home. */
function expectPage(res: Awaited<ReturnType<typeof get>>, status: number, lang: 'sv' | 'en', heading: string) {
  expect(res.status, res.text).to.equal(status);
  expect(res.type).to.include('text/html');
  expect(res.text).to.include(`<html lang="${lang}">`);
  expect(res.text).to.include(`<title>${heading} – Brygga</title>`);
  expect(res.text).to.include(`<h1>${heading}</h1>`);
  expect(res.text).to.match(/<h1>[^<]+<\/h1>\s*<p>[^<]{40,}<\/p>/); // a sentence, not a code
  expect(res.text).to.match(/<a href="\/">(Till startsidan|Go to the start page)<\/a>/);
  expect(res.text).to.include('<footer class="site-footer">'); // the layout's fairness note
}

describe('error pages', function () {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    base = t.app.url;
  });
  after(async () => t?.stop());

  it('an unknown notice opened from an e-mail: 404 in Swedish, or in English when the browser prefers it', async () => {
    expectPage(await get(base, '/notices/01NOSUCHNOTICE', { accept: BROWSER }), 404, 'sv', 'Sidan finns inte');
    expectPage(await get(base, '/notices/01NOSUCHNOTICE', { accept: BROWSER, 'accept-language': ENGLISH }), 404, 'en', 'Page not found');
    expectPage(await get(base, '/notices/01NOSUCHNOTICE', { accept: BROWSER, 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8' }), 404, 'sv', 'Sidan finns inte');
    expectPage(await get(base, '/notices/01NOSUCHNOTICE', { accept: BROWSER, 'accept-language': 'de-DE' }), 404, 'sv', 'Sidan finns inte');
  });

  it('a broken confirm or unsubscribe link: a page even for a mail client that accepts anything', async () => {
    expectPage(await get(base, '/confirm/not-a-token'), 404, 'sv', 'Länken fungerar inte'); // fetch sends Accept: */*
    expectPage(await get(base, '/unsubscribe/not-a-token', { 'accept-language': 'en' }), 404, 'en', 'The link does not work');
    const posted = await fetch(`${base}/unsubscribe/not-a-token`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    expect(posted.status).to.equal(404);
    expect(posted.headers.get('content-type')).to.include('text/html');
  });

  it('an unknown page asked for by a browser: 404 page', async () => {
    expectPage(await get(base, '/upphandlingar/gamla', { accept: BROWSER }), 404, 'sv', 'Sidan finns inte');
    expectPage(await get(base, '/no/such/page', { accept: BROWSER, 'accept-language': ENGLISH }), 404, 'en', 'Page not found');
  });

  it('an address that cannot be decoded: 400 page', async () => {
    expectPage(await get(base, '/notices/%E0%A4%A', { accept: BROWSER }), 400, 'sv', 'Sidan kunde inte visas');
  });

  it('API clients keep the JSON error shape', async () => {
    const expectJson = (res: Awaited<ReturnType<typeof get>>, status: number, code: string) => {
      expect(res.status, res.text).to.equal(status);
      expect(res.json).to.have.keys('error');
      expect(res.json.error).to.have.keys('code', 'message', 'details');
      expect(res.json.error.code).to.equal(code);
    };
    // Under /api/, whatever the client accepts.
    expectJson(await get(base, '/api/notices/01NOSUCHNOTICE', { accept: BROWSER }), 404, 'not_found');
    expectJson(await get(base, '/api/no-such-route', { accept: BROWSER }), 404, 'not_found');
    // A page's address, asked for as JSON.
    expectJson(await get(base, '/notices/01NOSUCHNOTICE', { accept: 'application/json' }), 404, 'not_found');
    expectJson(await get(base, '/confirm/not-a-token', { accept: 'application/json' }), 404, 'invalid_link');
    // An unknown address without a browser's Accept header (curl, scripts).
    expectJson(await get(base, '/no-such-route'), 404, 'not_found');
    expectJson(await get(base, '/notices/%E0%A4%A', { accept: 'application/json' }), 400, 'bad_request');
  });
});

describe('error pages for failures', () => {
  // A route that fails, behind the real error handler: Brygga has no route that fails on demand.
  let server: ReturnType<express.Express['listen']>;
  let base: string;
  before(async () => {
    const app = express();
    app.get(['/notices/:id', '/api/notices/:id'], () => {
      throw new Error('the database is on fire');
    });
    app.use(errorHandler(pino({ level: 'silent' }), errorPage));
    await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('500: a page that explains without leaking the error, and JSON for the API', async () => {
    const page = await get(base, '/notices/x', { accept: BROWSER });
    expectPage(page, 500, 'sv', 'Något gick fel hos oss');
    expect(page.text).not.to.include('on fire');
    expectPage(await get(base, '/notices/x', { accept: BROWSER, 'accept-language': ENGLISH }), 500, 'en', 'Something went wrong on our side');
    const api = await get(base, '/api/notices/x', { accept: BROWSER });
    expect(api.status).to.equal(500);
    expect(api.json).to.deep.equal({ error: { code: 'internal', message: 'Something went wrong on our side', details: null } });
  });
});
