// Alerts firms can trust in real use (issue 9): history imports mail nobody,
// corrections and withdrawals reach those told (once, in words), late
// sign-ups see what is open, reminders and digests stay readable.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { onPostgres } from '../helpers/database.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed.ts';
import { ingestSources } from '../../src/ingest/ingest.service.ts';
import { fileSource } from '../../src/ingest/sources.ts';
import { api } from '../helpers/app.ts';
import { DAY, inDays, PUBLIC, publish, registerFirm, runScheduled, settle, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { requireSharedData } from '../helpers/shared-data.ts';
import { confirmAll, linkIn } from '../helpers/smtp.ts';

const setup = startWithSmtp;

const subjects = (c: Ctx) => c.smtp.messages.map((m) => m.parsed.subject);
const textTo = (c: Ctx, email: string) => c.smtp.messages.filter((m) => m.to.includes(email)).map((m) => m.parsed.text ?? '');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'source-csv' ? [] : filesUnder(path);
    return /\.(xml|json|csv\.gz)$/.test(name) && !name.startsWith('sample_') ? [path] : [];
  });
}

describe('alerts firms can trust', function () {
  this.timeout(120_000);
  let c: Ctx;
  afterEach(async () => {
    await c?.t.stop();
    await c?.smtp.close();
  });

  it('importing a year of history and every shared feed into a database with the demo firms mails nobody', async function () {
    // 18,000 notices stored, indexed and matched; PostgreSQL pays a round trip per statement (docs/benchmarks.md).
    this.timeout(onPostgres ? 900_000 : 300_000);
    const uhm = requireSharedData(this, 'sustainability', 'uhm-statistikdatabas-2021');
    const eforms = requireSharedData(this, 'eforms');
    const ocds = requireSharedData(this, 'ocds');
    c = await setup();
    await seedDemoIfEmpty(c.t.app);
    await settle(c);
    // The demo's own alerts, and the first digests, are out of the way.
    const now = new Date();
    await runScheduled(c, 'daily', now);
    await runScheduled(c, 'weekly', now);
    await settle(c);
    const before = c.smtp.messages.length;
    expect(before).to.be.greaterThan(10);

    const files = [...filesUnder(uhm), ...filesUnder(eforms), ...filesUnder(ocds)];
    const { files: results } = await ingestSources(c.t.app.db, (async function* () {
      for (const file of files) yield fileSource(file);
    })(), { format: 'auto', dryRun: false, maxBytes: 200 * 1024 * 1024 });
    const stored = results.reduce((n, r) => n + r.new + r.updated, 0);
    expect(stored).to.be.greaterThan(5000);
    await settle(c, onPostgres ? 600_000 : 240_000);
    // A day and a week on, the digests carry nothing from the import either.
    await runScheduled(c, 'daily', new Date(now.getTime() + DAY));
    await runScheduled(c, 'weekly', new Date(now.getTime() + 7 * DAY));
    await settle(c);
    const imported = new Set((await c.t.app.db.selectFrom('notices').select('title').where('source', '!=', 'local').execute()).map((n) => n.title));
    const mentioning = c.smtp.messages.slice(before).filter((m) => [...imported].some((title) => m.parsed.text?.includes(title)));
    expect(mentioning.map((m) => m.parsed.subject)).to.deep.equal([]);
  });

  it('correcting a notice by its reference: one notice, one change e-mail per alerted instant subscriber, old → new in words', async () => {
    c = await setup();
    await registerFirm(c, 'instant@firma.example');
    await registerFirm(c, 'daily@firma.example', [{ frequency: 'daily' }]);
    const first = await publish(c, 'KS 2026/101', { deadline: '2027-01-29T11:00:00Z' });
    expect(first.outcome).to.equal('new');
    await settle(c);
    expect(subjects(c)).to.deep.equal(['Ny upphandling: Lokalvård KS 2026/101 – sista anbudsdag 29 januari 2027']);

    const corrected = await publish(c, 'KS 2026/101', { deadline: '2027-02-12T11:00:00Z' });
    expect(corrected).to.deep.include({ outcome: 'updated', changed: ['deadline'] });
    expect(corrected.notice.id).to.equal(first.notice.id);
    await settle(c);
    const notices = await c.t.app.db.selectFrom('notices').select('id').execute();
    expect(notices).to.have.length(1);
    expect(subjects(c).slice(1)).to.deep.equal(['Ändrad upphandling: Lokalvård KS 2026/101']);
    expect(c.smtp.messages[1].to).to.deep.equal(['instant@firma.example']);
    expect(c.smtp.messages[1].parsed.text).to.include('Sista anbudsdag: 29 januari 2027 kl. 12:00 → 12 februari 2027 kl. 12:00 (svensk tid)');

    // The same again changes nothing; a non-material correction mails nobody.
    expect((await publish(c, 'KS 2026/101', { deadline: '2027-02-12T11:00:00Z' })).outcome).to.equal('unchanged');
    expect((await publish(c, 'KS 2026/101', { deadline: '2027-02-12T11:00:00Z', description: 'Förtydligande' })).changed).to.deep.equal(['description']);
    await settle(c);
    expect(c.smtp.messages).to.have.length(2);

    // PATCH is a correction too.
    const patched = await api(c.t.app, 'PATCH', `/api/notices/${first.notice.id}`, { estimatedValue: { amount: 1500000, currency: 'SEK' } });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body.changed).to.deep.equal(['estimatedValue']);
    await settle(c);
    expect(c.smtp.messages).to.have.length(3);
    expect(c.smtp.messages[2].parsed.text).to.match(/Uppskattat värde: inget angivet → 1\s500\s000\skr/);
  });

  it('an officer’s notice needs the buyer’s reference; identity fields cannot be patched', async () => {
    c = await setup({ WORKERS: 'off' });
    const res = await api(c.t.app, 'POST', '/api/notices', { title: 'Utan diarienummer', buyer: { name: 'Lerums kommun' }, cpv: { main: '90911200' } });
    expect(res.status).to.equal(400);
    expect(res.body.error.details).to.deep.equal([{ path: 'reference', message: 'required' }]);
    const { notice } = await publish(c, 'KS 2026/5');
    const patch = await api(c.t.app, 'PATCH', `/api/notices/${notice.id}`, { reference: 'KS 2026/6' });
    expect(patch.status).to.equal(400);
    expect((await api(c.t.app, 'PATCH', '/api/notices/nope', { title: 'x' })).status).to.equal(404);
    expect((await api(c.t.app, 'PATCH', `/api/notices/${notice.id}`, { deadline: 'tomorrow' })).status).to.equal(400);
    const stored = await api(c.t.app, 'GET', `/api/notices/${notice.id}`);
    expect(stored.body.reference).to.equal('KS 2026/5');
  });

  it('withdrawing tells the firms alerted once, with the reason, and the notice leaves search and alerts', async () => {
    c = await setup();
    await registerFirm(c, 'told@firma.example');
    const { notice } = await publish(c, 'KS 2026/200', { title: 'Fönsterputs i Lerums skolor' });
    await settle(c);
    expect(c.smtp.messages).to.have.length(1);

    expect((await api(c.t.app, 'POST', `/api/notices/${notice.id}/withdraw`, {})).status).to.equal(400);
    const withdrawn = await api(c.t.app, 'POST', `/api/notices/${notice.id}/withdraw`, { reason: 'Behovet har upphört' });
    expect(withdrawn.status).to.equal(200);
    expect(withdrawn.body.notice.status).to.equal('withdrawn');
    await settle(c);
    expect(subjects(c)[1]).to.equal('Återkallad upphandling: Fönsterputs i Lerums skolor');
    expect(c.smtp.messages[1].parsed.text).to.include('Upphandlingen är återkallad.').and.include('Köparens motivering: Behovet har upphört');

    // Again: nothing more; a late registrant never hears of it; search no longer finds it.
    expect((await api(c.t.app, 'POST', `/api/notices/${notice.id}/withdraw`, { reason: 'igen' })).body.outcome).to.equal('unchanged');
    expect((await publish(c, 'KS 2026/200', { title: 'Fönsterputs i Lerums skolor', deadline: inDays(40) })).outcome).to.equal('unchanged');
    await registerFirm(c, 'late@firma.example', [{}], { confirm: false });
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['late@firma.example']);
    await settle(c);
    expect(c.smtp.messages).to.have.length(0);
    expect((await api(c.t.app, 'GET', '/api/search?q=fönsterputs')).body.total).to.equal(0);
  });

  it('a firm registered after notices went out sees the open ones in its matches and gets one summary e-mail', async () => {
    c = await setup();
    await publish(c, 'KS 2026/301', { title: 'Städning av förskolor' });
    await publish(c, 'KS 2026/302', { title: 'Städning av skolor', deadline: inDays(10) });
    await publish(c, 'KS 2026/303', { title: 'Asfaltering', cpv: { main: '45233222' } });
    await publish(c, 'KS 2026/304', { title: 'Städning som redan stängt', deadline: inDays(-1) });
    await settle(c);

    const id = await registerFirm(c, 'late@firma.example', [{}], { confirm: false });
    await settle(c);
    const matches = await api(c.t.app, 'GET', `/api/companies/${id}/matches?status=open`);
    expect(matches.body.items.map((m: { title: string }) => m.title).sort()).to.deep.equal(['Städning av förskolor', 'Städning av skolor']);
    expect(subjects(c)).to.deep.equal(['Bekräfta er e-postadress för Brygga']); // nothing before the address is confirmed

    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['late@firma.example']);
    await settle(c);
    expect(subjects(c)).to.deep.equal(['2 öppna upphandlingar matchar er nya bevakning']);
    const text = c.smtp.messages[0].parsed.text!;
    expect(text.indexOf('Städning av skolor')).to.be.greaterThan(-1);
    expect(text).not.to.include('Asfaltering').and.not.to.include('redan stängt');

    // A new subscription: one summary of what it adds, never the same notices again.
    await publish(c, 'KS 2026/305', { title: 'Fönsterputs', cpv: { main: '90911300' } });
    await settle(c);
    expect(subjects(c)[1]).to.match(/^Ny upphandling: Fönsterputs/);
    await api(c.t.app, 'POST', `/api/companies/${id}/subscriptions`, { name: 'Asfalt', cpv: ['45233000'] });
    await settle(c);
    expect(subjects(c).slice(2)).to.deep.equal(['1 öppen upphandling matchar er nya bevakning']);
    expect(c.smtp.messages[2].parsed.text).to.include('Asfaltering').and.not.to.include('Städning av skolor');
  });

  it('a new address is confirmed again: the old link is spent, alerts wait, then go to the new address', async () => {
    c = await setup();
    const id = await registerFirm(c, 'old@firma.example', [{}], { confirm: false });
    await c.smtp.waitFor(1);
    const oldLink = linkIn(c.smtp.messages[0], `${PUBLIC}/confirm/`).replace(PUBLIC, c.t.app.url);
    c.smtp.messages.length = 0;
    expect((await api(c.t.app, 'PATCH', `/api/companies/${id}`, { email: 'new@firma.example' })).status).to.equal(200);
    await c.smtp.waitFor(1);
    expect(c.smtp.messages[0].to).to.deep.equal(['new@firma.example']);
    expect((await fetch(oldLink, { method: 'POST' })).status).to.equal(404);
    await publish(c, 'KS 2026/350');
    await settle(c);
    expect(c.smtp.messages).to.have.length(1); // unconfirmed: nothing yet
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['new@firma.example']);
    await settle(c);
    expect(c.smtp.messages.map((m) => [m.to[0], m.parsed.subject])).to.deep.equal([
      ['new@firma.example', '1 öppen upphandling matchar er nya bevakning'],
    ]);
  });

  it('closing reminders: once per notice, at most one e-mail a day', async () => {
    c = await setup();
    await registerFirm(c, 'remind@firma.example'); // instant, reminders 3 days before by default
    await publish(c, 'KS 2026/401', { title: 'Städ A', deadline: inDays(2) });
    await publish(c, 'KS 2026/402', { title: 'Städ B', deadline: inDays(2.5) });
    await publish(c, 'KS 2026/403', { title: 'Städ C', deadline: inDays(20) });
    await settle(c);
    expect(c.smtp.messages).to.have.length(3);
    const now = new Date();
    await runScheduled(c, 'reminder', now);
    await settle(c);
    expect(subjects(c)[3]).to.equal('2 upphandlingar stänger snart');
    expect(c.smtp.messages[3].parsed.text).to.include('Städ A').and.include('Städ B').and.not.include('Städ C');
    await runScheduled(c, 'reminder', now);
    await runScheduled(c, 'reminder', new Date(now.getTime() + DAY));
    await settle(c);
    expect(c.smtp.messages).to.have.length(4);
  });

  it('a digest of 60 new notices shows 50, best first, and says how many more', async () => {
    c = await setup();
    await registerFirm(c, 'many@firma.example', [{ frequency: 'weekly' }]);
    for (let i = 0; i < 60; i++) await publish(c, `KS 2026/${500 + i}`, { deadline: inDays(10 + i) });
    await settle(c);
    expect(c.smtp.messages).to.have.length(0);
    await runScheduled(c, 'weekly', new Date());
    await settle(c);
    const [digest] = c.smtp.messages;
    expect(digest.parsed.subject).to.match(/^60 nya upphandlingar – Brygga vecka \d+$/);
    const text = digest.parsed.text!;
    expect(text.match(/^Lokalvård KS 2026\/\d+$/gm)).to.have.length(50);
    expect(text).to.include('Lokalvård KS 2026/500').and.not.match(/^Lokalvård KS 2026\/559$/m); // soonest deadline first
    expect(text, text.slice(-800)).to.include(`… och 10 till: ${PUBLIC}/`);
  });

  it('a planning notice reaches only subscriptions that ask for planning, as "Förhandsinformation"', async () => {
    c = await setup();
    await registerFirm(c, 'tenders@firma.example');
    await registerFirm(c, 'plans@firma.example', [{ kinds: ['tender', 'planning'] }]);
    await publish(c, 'KS 2026/600', { kind: 'planning', title: 'Planerad upphandling av städ', deadline: null });
    await settle(c);
    expect(c.smtp.messages.map((m) => [m.to[0], m.parsed.subject])).to.deep.equal([
      ['plans@firma.example', 'Förhandsinformation: Planerad upphandling av städ'],
    ]);
    expect(c.smtp.messages[0].parsed.text).to.include('Det går inte att lämna anbud ännu');
  });

  it('from alert to bid: links, the reasons under their heading, Swedish time, the footer', async () => {
    c = await setup();
    await registerFirm(c, 'links@firma.example');
    await publish(c, 'KS 2026/700', {
      deadline: '2027-03-01T11:00:00Z',
      links: { documents: 'https://upphandling.lerum.se/dokument/700', submission: 'https://upphandling.lerum.se/anbud/700', source: null },
    });
    await settle(c);
    const [text] = textTo(c, 'links@firma.example');
    expect(text).to.include('Sista anbudsdag: 1 mars 2027 kl. 12:00 (svensk tid)');
    expect(text).to.include('Diarienummer: KS 2026/700');
    expect(text).to.include('Därför fick ni det här mejlet:');
    expect(text).to.match(/Läs hela upphandlingen: https:\/\/brygga\.lerum\.se\/notices\/\w+/);
    expect(text).to.include('Upphandlingsdokument: https://upphandling.lerum.se/dokument/700');
    expect(text).to.include('Lämna anbud: https://upphandling.lerum.se/anbud/700');
    expect(text).to.include('Ni får detta mejl eftersom Firma links@firma.example bevakar upphandlingar i Brygga.');
  });
});
