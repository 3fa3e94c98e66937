// Firms and notices through the API, as their users would: register, confirm
// from the e-mail, subscribe, publish; and waiting until the queues are quiet.
import { expect } from 'chai';
import { luhnCheckDigit } from '../../src/domain/orgnr.ts';
import { api, eventually, queuesIdle, startTestApp, type TestApp } from './app.ts';
import { confirmAll, startSmtp, type TestSmtp } from './smtp.ts';

export const PUBLIC = 'https://brygga.lerum.se';
export const DAY = 24 * 3600 * 1000;
export const inDays = (n: number, from = Date.now()) => new Date(from + n * DAY).toISOString();

export type Ctx = { t: TestApp; smtp: TestSmtp };

/** A fresh Brygga mailing through a real SMTP server in this process. */
export async function startWithSmtp(env: Record<string, string> = {}): Promise<Ctx> {
  const smtp = await startSmtp();
  const t = await startTestApp({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, PUBLIC_URL: PUBLIC, ...env });
  return { t, smtp };
}

let orgSeq = 0;
/** A fictitious but valid organisationsnummer per call. */
export function nextOrgNumber(): string {
  const stem = `5592${String(10000 + orgSeq++).padStart(5, '0')}`;
  return `${stem.slice(0, 6)}-${stem.slice(6)}${luhnCheckDigit(stem)}`;
}

/**
 * Registers a firm whose first subscription (made from its categories at
 * registration) gets `subscriptions[0]`'s settings; further entries are added.
 * Confirms the address from the e-mail and waits for the queues unless told not to.
 */
export async function registerFirm(c: Ctx, email: string, subscriptions: object[] = [{}], options: { confirm?: boolean; categories?: string[]; body?: object } = {}) {
  const created = await api(c.t.app, 'POST', '/api/companies', {
    orgNumber: nextOrgNumber(), name: `Firma ${email}`, email, municipalityCode: '1441', categories: options.categories ?? ['90910000'], ...options.body,
  });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const id = created.body.id as string;
  const [first, ...more] = subscriptions;
  const patched = await api(c.t.app, 'PATCH', `/api/companies/${id}/subscriptions/${created.body.subscriptions[0].id}`, first ?? {});
  expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
  for (const s of more) {
    const sub = await api(c.t.app, 'POST', `/api/companies/${id}/subscriptions`, { name: 'Städ', cpv: ['90910000'], ...s });
    expect(sub.status, JSON.stringify(sub.body)).to.equal(201);
  }
  if (options.confirm !== false) {
    await confirmAll(c.smtp, PUBLIC, c.t.app.url, [email]);
    await settle(c);
    c.smtp.messages.length = 0; // a summary of what was open already, if anything
  }
  return id;
}

/** Publishes (or corrects, by the same reference) a notice of Lerums kommun. */
export async function publish(c: Ctx, reference: string, extra: object = {}) {
  const res = await api(c.t.app, 'POST', '/api/notices', {
    reference, title: `Lokalvård ${reference}`, buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' },
    deadline: inDays(30), ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
  return res.body as { outcome: string; changed: string[]; notice: { id: string } };
}

/** Waits until the outbox is relayed and no job is waiting, running or to be retried. */
export async function settle({ t }: Ctx, timeoutMs = 20_000) {
  await eventually(() => queuesIdle(t.app), timeoutMs);
}

/** Runs a digest or the closing reminders as the scheduler would at `at`. */
export async function runScheduled({ t }: Ctx, frequency: 'daily' | 'weekly' | 'reminder', at: Date) {
  await t.app.producer.queue('digest').add('plan', { step: 'plan', frequency, at: at.toISOString() });
}
