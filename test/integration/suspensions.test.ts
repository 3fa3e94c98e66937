// Safe suspensions and an exclusive ledger claim, over the real stack (SQLite,
// Redis, BullMQ, an SMTP server in this process): a relay rejecting everyone
// suspends nobody and loses nothing; a success resets a firm's failure count;
// lifting a suspension (by staff, or by the firm confirming its address again)
// sends one summary of what was held; two sends of one delivery at once send once.
import { expect } from 'chai';
import { api, eventually } from '../helpers/app.ts';
import { PUBLIC, inDays, publish, registerFirm, settle, startWithSmtp, type Ctx } from '../helpers/firms.ts';
import { confirmAll, linkIn } from '../helpers/smtp.ts';
import { DeliveryBusyError, sendInstantAlert } from '../../src/mail/delivery.service.ts';
import { insertDelivery } from '../../src/mail/ledger.repo.ts';

const instantRows = (c: Ctx) =>
  c.t.app.db.selectFrom('deliveries').select(['id', 'company_id', 'ref', 'status', 'attempts', 'rejections']).where('kind', '=', 'instant').execute();
const firm = (c: Ctx, id: string) =>
  c.t.app.db.selectFrom('companies').select(['email_status', 'permanent_failures', 'confirm_round']).where('id', '=', id).executeTakeFirstOrThrow();

describe('suspensions and the ledger claim', function () {
  this.timeout(90_000);
  let c: Ctx;
  afterEach(async () => {
    await c?.t.stop();
    await c?.smtp.close();
  });

  it('a 550 burst for everyone is a relay fault: nobody is suspended, staff are told, and every alert arrives once the relay recovers', async () => {
    // One counted failure would suspend: the burst must count none.
    c = await setup({ MAIL_SUSPEND_AFTER: '1' });
    const errors: unknown[] = [];
    c.t.app.mail.log = { error: (...args: unknown[]) => void errors.push(args) } as never;
    const firms: string[] = [];
    for (let i = 0; i < 6; i++) firms.push(await registerFirm(c, `f${i}@firma.example`));

    c.smtp.rejectNext(1_000_000, 550, 'Relay access denied');
    await publish(c, 'burst1');
    await publish(c, 'burst2');
    // Every alert has been rejected at least three times.
    await eventually(async () => {
      const rows = await instantRows(c);
      return rows.length === 12 && rows.every((r) => r.attempts >= 3);
    }, 30_000);

    const rows = await instantRows(c);
    expect(rows.filter((r) => r.status === 'failed')).to.deep.equal([]);
    for (const id of firms) expect(await firm(c, id)).to.include({ email_status: 'confirmed', permanent_failures: 0 });
    expect((await api(c.t.app, 'GET', '/api/staff/suspended-addresses')).body).to.deep.equal([]);
    expect(c.smtp.messages).to.have.length(0);
    expect(errors, 'one error for staff').to.have.length(1);
    expect(JSON.stringify(errors[0])).to.include('relay fault').and.not.include('@firma.example');

    c.smtp.rejectNext(0, 550, ''); // the relay recovers
    await c.smtp.waitFor(12, 45_000);
    await settle(c, 45_000);
    const pairs = c.smtp.messages.map((m) => `${m.to[0]} ${m.parsed.subject!.match(/Lokalvård (burst\d)/)![1]}`);
    expect(new Set(pairs).size).to.equal(12);
    expect(c.smtp.messages).to.have.length(12);
    expect((await instantRows(c)).every((r) => r.status === 'sent')).to.equal(true);
  });

  it('a success resets the count: failures with a success between never suspend', async () => {
    c = await setup({ MAIL_SUSPEND_AFTER: '2' });
    const id = await registerFirm(c, 'flaky@firma.example');
    c.smtp.rejectNext(2, 550, 'Mailbox unavailable'); // the first is retried, the second counts
    await publish(c, 'r1');
    await settle(c);
    expect(await firm(c, id)).to.include({ email_status: 'confirmed', permanent_failures: 1 });

    await publish(c, 'r2');
    await c.smtp.waitFor(1);
    await settle(c);
    expect(await firm(c, id)).to.include({ permanent_failures: 0 });

    c.smtp.rejectNext(2, 550, 'Mailbox unavailable');
    await publish(c, 'r3');
    await settle(c);
    expect(await firm(c, id)).to.include({ email_status: 'confirmed', permanent_failures: 1 });
    expect((await instantRows(c)).map((r) => [r.status, r.rejections]).sort()).to.deep.equal([['failed', 2], ['failed', 2], ['sent', 0]]);

    c.smtp.rejectNext(2, 550, 'Mailbox unavailable');
    await publish(c, 'r4');
    await settle(c);
    expect(await firm(c, id)).to.include({ email_status: 'suspended', permanent_failures: 2 }); // two with no success between
  });

  it('staff lift a suspension: what was held goes out in one summary of the notices still open; nothing is left pending', async () => {
    c = await setup({ MAIL_SUSPEND_AFTER: '1' });
    const id = await registerFirm(c, 'held@firma.example');
    c.smtp.rejectNext(2, 550, 'Mailbox full');
    await publish(c, 'lost');
    await settle(c);
    expect(await firm(c, id)).to.include({ email_status: 'suspended' });

    await publish(c, 'open1');
    await publish(c, 'open2', { deadline: inDays(10) });
    const { notice: closed } = await publish(c, 'closed');
    await settle(c);
    expect(c.smtp.messages).to.have.length(0);
    const rows = await instantRows(c);
    expect(rows.map((r) => r.status).sort()).to.deep.equal(['failed', 'held', 'held', 'held']);
    expect((await api(c.t.app, 'POST', `/api/notices/${closed.id}/withdraw`, { reason: 'Behovet har upphört' })).status).to.equal(200);
    await settle(c);

    const listed = await api(c.t.app, 'GET', '/api/staff/suspended-addresses');
    expect(listed.body.map((r: { companyId: string }) => r.companyId)).to.deep.equal([id]);
    const lifted = await api(c.t.app, 'POST', `/api/staff/suspended-addresses/${id}/lift`);
    expect(lifted.status, JSON.stringify(lifted.body)).to.equal(200);
    expect(lifted.body).to.deep.equal({ companyId: id, emailStatus: 'confirmed' });
    expect((await api(c.t.app, 'POST', `/api/staff/suspended-addresses/${id}/lift`)).status).to.equal(409);
    expect((await api(c.t.app, 'POST', '/api/staff/suspended-addresses/01NOSUCHFIRM00000000000000/lift')).status).to.equal(404);

    const [summary] = await c.smtp.waitFor(1);
    await settle(c);
    expect(c.smtp.messages).to.have.length(1);
    expect(summary.parsed.subject).to.equal('2 öppna upphandlingar som ni inte har fått mejl om');
    expect(summary.parsed.text).to.include('Lokalvård open1').and.include('Lokalvård open2');
    expect(summary.parsed.text).not.to.include('Lokalvård closed').and.not.to.include('Lokalvård lost');
    expect((await instantRows(c)).filter((r) => r.status === 'held' || r.status === 'pending')).to.deep.equal([]);
    expect(await firm(c, id)).to.include({ email_status: 'confirmed', permanent_failures: 0 });
    const audit = await c.t.app.db.selectFrom('audit_log').select(['action', 'object_id']).where('action', '=', 'company.lift-suspension').execute();
    expect(audit).to.deep.equal([{ action: 'company.lift-suspension', object_id: id }]);

    await publish(c, 'after');
    await c.smtp.waitFor(2);
    expect(c.smtp.messages[1].parsed.subject).to.match(/^Ny upphandling: Lokalvård after/);
  });

  it('the firm lifts its own suspension by confirming its address again: links from before the suspension do not', async () => {
    c = await setup({ MAIL_SUSPEND_AFTER: '1' });
    const id = await registerFirm(c, 'again@firma.example', [{}], { confirm: false });
    const [first] = await c.smtp.waitFor(1);
    const oldLink = linkIn(first, `${PUBLIC}/confirm/`).replace(PUBLIC, c.t.app.url);
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, ['again@firma.example']);
    await settle(c);
    c.smtp.rejectNext(2, 550, 'Mailbox full');
    await publish(c, 'gone');
    await settle(c);
    expect(await firm(c, id)).to.include({ email_status: 'suspended' });
    await publish(c, 'waiting');
    await settle(c);

    expect((await fetch(oldLink, { method: 'POST' })).status).to.equal(404);
    const resend = await api(c.t.app, 'POST', `/api/companies/${id}/confirmation`);
    expect(resend.status, JSON.stringify(resend.body)).to.equal(202);
    const [confirmation] = await c.smtp.waitFor(1);
    expect(confirmation.parsed.subject).to.equal('Bekräfta er e-postadress för Brygga');
    expect(await firm(c, id)).to.include({ email_status: 'suspended' }); // until the link is used
    const link = linkIn(confirmation, `${PUBLIC}/confirm/`).replace(PUBLIC, c.t.app.url);
    expect((await fetch(link, { method: 'POST' })).status).to.equal(200);
    expect(await firm(c, id)).to.include({ email_status: 'confirmed', permanent_failures: 0 });

    await c.smtp.waitFor(2);
    await settle(c);
    expect(c.smtp.messages).to.have.length(2);
    expect(c.smtp.messages[1].parsed.subject).to.equal('1 öppen upphandling som ni inte har fått mejl om');
    expect(c.smtp.messages[1].parsed.text).to.include('Lokalvård waiting').and.not.include('Lokalvård gone');
  });

  it('two workers sending the same alert at once send one e-mail; an expired lease is taken over', async () => {
    c = await setup();
    const id = await registerFirm(c, 'once@firma.example');
    await c.t.app.stopWorkers(); // BullMQ out of the way: the service is called directly
    const { notice } = await publish(c, 'twice');
    await c.t.app.engine.matchStored(notice.id);

    const job = { companyId: id, noticeId: notice.id };
    const outcomes = await Promise.allSettled([sendInstantAlert(c.t.app.mail, job), sendInstantAlert(c.t.app.mail, job)]);
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'sent');
    const others = outcomes.filter((o) => !(o.status === 'fulfilled' && o.value === 'sent'));
    expect(sent).to.have.length(1);
    expect(others).to.have.length(1);
    const other = others[0];
    if (other.status === 'rejected') expect(other.reason).to.be.instanceOf(DeliveryBusyError);
    else expect(other.value).to.equal('already-sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(c.smtp.messages).to.have.length(1);
    expect(await sendInstantAlert(c.t.app.mail, job)).to.equal('already-sent');
    expect(c.smtp.messages).to.have.length(1);

    // A worker that claimed a row and died: its live lease keeps others out, an expired one is taken over.
    const { notice: orphan } = await publish(c, 'orphan');
    await c.t.app.engine.matchStored(orphan.id);
    const orphanJob = { companyId: id, noticeId: orphan.id };
    const row = await insertDelivery(c.t.app.db, { companyId: id, kind: 'instant', ref: orphan.id }, [{ noticeId: orphan.id, section: 'new', revision: 1 }]);
    const dead = { status: 'sending', owner: 'dead-worker' };
    await c.t.app.db.updateTable('deliveries').set({ ...dead, lease_until: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', row.id).execute();
    let busy: unknown;
    await sendInstantAlert(c.t.app.mail, orphanJob).catch((e) => (busy = e));
    expect(busy).to.be.instanceOf(DeliveryBusyError);
    await c.t.app.db.updateTable('deliveries').set({ ...dead, lease_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', row.id).execute();
    expect(await sendInstantAlert(c.t.app.mail, orphanJob)).to.equal('sent');
    expect(c.smtp.messages).to.have.length(2);
    expect(c.smtp.messages[1].parsed.messageId).to.equal(`<${row.id}@brygga>`);
  });
});

const setup = startWithSmtp;
