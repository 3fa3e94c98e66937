// Registration tells nobody who is registered, and its e-mail cannot be turned
// against anyone: over real HTTP, workers, Redis and SMTP. A known number or
// address gets the same answer as a new one and its owner is told by e-mail
// (once a day); a flood of registrations for one address sends one
// confirmation; account e-mail has its own queue and rate budget; the links
// in e-mail are canonical, bound to their address, and confirmations expire.
import { expect } from 'chai';
import { createApiToken } from '../../src/accounts/accounts.service.ts';
import { findUserByEmail } from '../../src/accounts/accounts.repo.ts';
import { signToken } from '../../src/mail/tokens.ts';
import { api } from '../helpers/app.ts';
import { DAY, nextOrgNumber, PUBLIC, publish, registerFirm, settle, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { linkIn } from '../helpers/smtp.ts';

const anonymous = { token: null };
const subjects = (c: Ctx) => c.smtp.messages.map((m) => [m.to.join(','), m.parsed.subject ?? '']);

describe('registration and the e-mail it sends', function () {
  this.timeout(60_000);
  let c: Ctx;
  // Many registrations from one client and for one address: the per-client and per-address limits are tested elsewhere.
  before(async () => (c = await startWithSmtp({ RATE_LIMIT_REGISTER_PER_CLIENT: '1000/1h', RATE_LIMIT_REGISTER_PER_ADDRESS: '1000/1h' })));
  after(async () => {
    await c?.t.stop();
    await c?.smtp.close();
  });
  beforeEach(async () => {
    await settle(c);
    c.smtp.messages.length = 0;
  });

  const body = (overrides: object = {}) => ({
    orgNumber: nextOrgNumber(), name: 'Nya Firman AB', email: 'ny@firma.example', municipalityCode: '1441', categories: ['90910000'],
    csr: ['collective-agreement'], ...overrides,
  });
  const register = (b: object) => api(c.t.app, 'POST', '/api/companies', b, anonymous);
  const counts = async () => {
    const { db } = c.t.app;
    const n = async (table: 'companies' | 'users' | 'subscriptions') => (await db.selectFrom(table).select('id').execute()).length;
    return { companies: await n('companies'), users: await n('users'), subscriptions: await n('subscriptions') };
  };
  /** The answer with what differs between any two registrations (ids, time, the number sent) taken out. */
  const shape = (res: Awaited<ReturnType<typeof register>>) => {
    const { id, createdAt, subscriptions, orgNumber, ...rest } = res.body;
    expect(orgNumber).to.match(/^\d{6}-\d{4}$/);
    expect(id).to.match(/^[0-9A-Z]{26}$/);
    expect(Date.parse(createdAt)).to.be.closeTo(Date.now(), 60_000);
    expect(res.headers.get('location')).to.equal(`/api/companies/${id}`);
    return { status: res.status, ...rest, subscriptions: subscriptions.map(({ id: sid, ...s }: { id: string }) => (expect(sid).to.match(/^[0-9A-Z]{26}$/), s)) };
  };

  it('a number already registered: the same answer as a new one, nothing stored, and the owner told by e-mail, once a day', async () => {
    const orgNumber = nextOrgNumber();
    const first = await register(body({ orgNumber, email: 'agare@forsta.example', name: 'Första AB' }));
    expect(first.status).to.equal(201);
    await settle(c);
    expect(subjects(c)).to.deep.equal([['agare@forsta.example', 'Bekräfta er e-postadress för Brygga']]);
    c.smtp.messages.length = 0;

    const before = await counts();
    const again = await register(body({ orgNumber, email: 'intrangare@example.se', name: 'Första AB' }));
    const fresh = await register(body({ email: 'intrangare@example.se', name: 'Första AB' }));
    expect(shape(again)).to.deep.equal(shape(fresh));
    expect(again.body.orgNumber).to.equal(orgNumber);
    expect(again.body.id).not.to.equal(first.body.id);
    const stored = await counts();
    expect(stored).to.deep.equal({ companies: before.companies + 1, users: before.users + 1, subscriptions: before.subscriptions + 1 }); // `fresh` only

    // Whoever tried learns nothing from the ids either: both are 401 to them, 403 to another firm's user.
    const owner = await findUserByEmail(c.t.app.db, 'agare@forsta.example');
    const otherFirm = (await createApiToken(c.t.app.db, owner!.id, 'test')).token;
    for (const id of [again.body.id, fresh.body.id]) {
      expect((await api(c.t.app, 'GET', `/api/companies/${id}`, undefined, anonymous)).status).to.equal(401);
      expect((await api(c.t.app, 'GET', `/api/companies/${id}`, undefined, { token: otherFirm })).status).to.equal(403);
    }

    await settle(c);
    const told = c.smtp.messages.find((m) => m.to.includes('agare@forsta.example'))!;
    expect(told.parsed.subject).to.equal('Någon försökte registrera ert företag i Brygga');
    expect(told.parsed.text).to.include('”Första AB”').and.include('bjud in').and.not.include('intrangare');
    expect(subjects(c).map(([to]) => to).sort()).to.deep.equal(['agare@forsta.example', 'intrangare@example.se']); // and `fresh`'s confirmation

    // More attempts the same day: nothing more to the owner.
    c.smtp.messages.length = 0;
    for (let i = 0; i < 3; i++) expect((await register(body({ orgNumber, email: `forsok${i}@example.se` }))).status).to.equal(201);
    await settle(c);
    expect(c.smtp.messages).to.deep.equal([]);
    expect(await c.t.app.db.selectFrom('account_mails').select(['kind', 'status']).execute()).to.deep.equal([{ kind: 'known-firm', status: 'sent' }]);
  });

  it('an address that is already a user: the same answer, nothing stored, and that address told', async () => {
    await register(body({ email: 'upptagen@firma.example', name: 'Upptagen AB' }));
    await settle(c);
    c.smtp.messages.length = 0;
    const before = await counts();
    const second = await register(body({ email: 'UPPTAGEN@firma.example', name: 'Andra Bolaget AB' }));
    const other = await register(body({ email: 'annan@firma.example', name: 'Andra Bolaget AB' }));
    const { email: _a, ...secondShape } = shape(second);
    const { email: _b, ...otherShape } = shape(other);
    expect(secondShape).to.deep.equal(otherShape);
    expect((await counts()).companies).to.equal(before.companies + 1);
    await settle(c);
    const told = c.smtp.messages.find((m) => m.to.includes('upptagen@firma.example'))!;
    expect(told.parsed.subject).to.equal('Någon försökte registrera ett företag med er adress i Brygga');
    expect(told.parsed.text).to.include('en e-postadress kan bara höra till en användare').and.not.include('Andra Bolaget');
  });

  it('300 registrations for one victim address send one confirmation, whatever the name says; the name is quoted data in a fixed text', async () => {
    const bait = 'Klicka här: https://evil.example/logga-in och ange ert BankID  '.padEnd(200, '!');
    const first = await register(body({ email: 'offer@victim.example', name: bait }));
    expect(first.status).to.equal(400); // longer than 120 characters
    const name = bait.slice(0, 120);
    const answers = await Promise.all(Array.from({ length: 300 }, () => register(body({ email: 'offer@victim.example', name }))));
    expect(answers.map((a) => a.status)).to.satisfy((s: number[]) => s.every((x) => x === 201));
    await settle(c, 60_000);
    const toVictim = c.smtp.messages.filter((m) => m.to.includes('offer@victim.example'));
    expect(toVictim.map((m) => m.parsed.subject)).to.have.members(['Bekräfta er e-postadress för Brygga', 'Någon försökte registrera ett företag med er adress i Brygga']);
    const confirmation = toVictim.find((m) => m.parsed.subject!.startsWith('Bekräfta'))!;
    expect(confirmation.parsed.text!.startsWith('Hej! Bekräfta att offer@victim.example ska få bevakningar om upphandlingar från Brygga för företaget ”Klicka här')).to.equal(true);
    expect(confirmation.parsed.text).to.include('Länken gäller i 7 dagar.');
  });

  it('account e-mail has a queue and rate budget of its own: confirmations go out while alerts wait, and the other way round', async () => {
    const notify = c.t.app.producer.queue('notify');
    const account = c.t.app.producer.queue('account');
    await notify.pause();
    try {
      await register(body({ email: 'medan@firma.example' }));
      await c.smtp.waitFor(1);
      expect(subjects(c)).to.deep.equal([['medan@firma.example', 'Bekräfta er e-postadress för Brygga']]);
    } finally {
      await notify.resume();
    }
    const id = await registerFirm(c, 'larm@firma.example');
    await account.pause();
    try {
      await register(body({ email: 'vantar@firma.example' }));
      await publish(c, 'KS 2026/QUEUE');
      const [alert] = await c.smtp.waitFor(1);
      expect(alert.to).to.deep.equal(['larm@firma.example']);
      expect(await account.getWaitingCount()).to.equal(1);
    } finally {
      await account.resume();
    }
    await c.smtp.waitFor(2);
    expect(c.smtp.messages[1].to).to.deep.equal(['vantar@firma.example']);
    expect(id).to.be.a('string');
  });

  describe('the links in e-mail', () => {
    it('a confirmation link: the genuine one confirms; another spelling of it, or one issued 8 days ago, does not', async () => {
      const res = await register(body({ email: 'lank@firma.example' }));
      const [mail] = await c.smtp.waitFor(1);
      const link = linkIn(mail, `${PUBLIC}/confirm/`).replace(PUBLIC, c.t.app.url);
      const token = link.split('/confirm/')[1];
      const [iv, sealed] = token.split('.');
      const respelled = [`${token}=`, `${iv}=.${sealed}`, token.replace(/-/g, '+').replace(/_/g, '/'), `${token}.`].filter((v) => v !== token);
      // The unused low bits of the last character, where there are some.
      const last = sealed.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = [...alphabet].find((ch) => ch !== last && Buffer.from(sealed.slice(0, -1) + ch, 'base64url').equals(Buffer.from(sealed, 'base64url')));
      if (twin) respelled.push(`${iv}.${sealed.slice(0, -1)}${twin}`);
      for (const variant of respelled) {
        const page = await fetch(`${c.t.app.url}/confirm/${encodeURIComponent(variant)}`, { method: 'POST' });
        expect(page.status, variant).to.equal(404);
      }
      const expired = signToken(c.t.app.mail.secret, { p: 'confirm', c: res.body.id, r: 1, email: 'lank@firma.example' }, Date.now() - 8 * DAY);
      const old = await fetch(`${c.t.app.url}/confirm/${expired}`, { method: 'POST', headers: { accept: 'application/json' } });
      expect(old.status).to.equal(404);
      expect(((await old.json()) as { error: { message: string } }).error.message).to.equal('Länken har gått ut. Logga in i Brygga och be om ett nytt bekräftelsemejl.');
      expect((await api(c.t.app, 'GET', `/api/companies/${res.body.id}`)).body.emailStatus).to.equal('unconfirmed');

      expect((await fetch(link, { method: 'POST' })).status).to.equal(200);
      expect((await api(c.t.app, 'GET', `/api/companies/${res.body.id}`)).body.emailStatus).to.equal('confirmed');
    });

    it('an unsubscribe link keeps working (even years later) for the address it went to, and stops once the firm changes address', async () => {
      const id = await registerFirm(c, 'avsluta@firma.example');
      await publish(c, 'KS 2026/UNSUB');
      await settle(c);
      const alert = c.smtp.messages.find((m) => m.to.includes('avsluta@firma.example'))!;
      const link = linkIn(alert, `${PUBLIC}/unsubscribe/`).replace(PUBLIC, c.t.app.url);
      expect((await fetch(link)).status).to.equal(200);
      const secret = c.t.app.mail.secret;
      const longAgo = signToken(secret, { p: 'unsubscribe', c: id, s: '*', email: 'avsluta@firma.example' }, Date.now() - 3 * 365 * DAY);
      expect((await fetch(`${c.t.app.url}/unsubscribe/${longAgo}`)).status).to.equal(200);
      const otherAddress = signToken(secret, { p: 'unsubscribe', c: id, s: '*', email: 'nagon-annan@firma.example' });
      expect((await fetch(`${c.t.app.url}/unsubscribe/${otherAddress}`)).status).to.equal(404);

      expect((await api(c.t.app, 'PATCH', `/api/companies/${id}`, { email: 'ny-adress@firma.example' })).status).to.equal(200);
      for (const url of [link, `${c.t.app.url}/unsubscribe/${longAgo}`]) {
        expect((await fetch(url)).status).to.equal(404);
        expect((await fetch(url, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })).status).to.equal(404);
      }
      const company = (await api(c.t.app, 'GET', `/api/companies/${id}`)).body;
      expect(company.subscriptions.every((s: { active: boolean }) => s.active)).to.equal(true);
    });
  });
});
