// Seeds the demo data on the first start, through the same services the API uses,
// so the demo notices are matched and mailed like real ones.
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { findUserByEmail, usersOfCompany } from '../accounts/accounts.repo.ts';
import { addUser } from '../accounts/accounts.service.ts';
import { buyerByOrgNumber } from '../accounts/organisations.repo.ts';
import { registerCompany } from '../companies/companies.service.ts';
import { findCompanyByOrgNumber, hasCompanies } from '../companies/companies.repo.ts';
import { companyInputSchema } from '../companies/company.schema.ts';
import { stockholmDate } from '../domain/dates.ts';
import { luhnCheckDigit } from '../domain/orgnr.ts';
import { confirmAddress } from '../mail/subscriptions.service.ts';
import { noticeInputSchema } from '../notices/notice.schema.ts';
import { storeNotice } from '../notices/notices.service.ts';
import { demoBuyers, demoFirms, demoNotices } from './demo-data.ts';

const DAY = 24 * 3600 * 1000;

/** 'Säveån Städ & Service AB' → 'savean-stad-service-ab': accents dropped (å → a), anything else a dash. */
export function emailSlug(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
}

/** Deadlines are at 12:00 Swedish time, summer or winter. */
function noonInStockholm(day: Date): string {
  const date = stockholmDate(day);
  const winter = new Date(`${date}T12:00:00+01:00`);
  const hour = new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', timeZone: 'Europe/Stockholm' }).format(winter);
  return (hour === '12' ? winter : new Date(`${date}T12:00:00+02:00`)).toISOString();
}

/** Seeds through the services, as the API would; `log` says when it is done. */
export async function seedDemoIfEmpty({ db, log }: { db: Db; log: Logger }, now = new Date()): Promise<boolean> {
  const publishDemo = (i: number, notice: (typeof demoNotices)[number]) => {
    const [main, ...additional] = notice.cpv;
    return storeNotice(
      db,
      noticeInputSchema.parse({
        source: 'local',
        reference: `${notice.buyer === 'lerum' ? 'KS' : 'UH'} ${now.getUTCFullYear()}/${String(i + 101)}`,
        kind: 'tender',
        title: notice.title,
        description: notice.description,
        buyer: demoBuyers[notice.buyer],
        cpv: { main, additional },
        estimatedValue: notice.value ? { amount: notice.value, currency: 'SEK' } : null,
        publishedAt: new Date(now.getTime() - (i % 10) * DAY).toISOString(),
        deadline: noonInStockholm(new Date(now.getTime() + notice.deadlineInDays * DAY)),
        procedure: 'open',
        placeOfPerformance: { nuts: ['SE232'] },
        criteria: notice.criteria ?? {},
      }),
    );
  };
  if (await hasCompanies(db)) return false;

  // Most notices were out before the firms registered: each firm's first e-mail
  // sums up what is open. The last few arrive after, as instant alerts.
  const early = demoNotices.length - 5;
  for (const [i, notice] of demoNotices.entries()) if (i < early) await publishDemo(i, notice);

  const firmIds: string[] = [];
  for (const firm of demoFirms) {
    const slug = emailSlug(firm.name);
    const { id } = await registerCompany(
      db,
      companyInputSchema.parse({
        orgNumber: `${firm.stem}${luhnCheckDigit(firm.stem)}`,
        name: firm.name,
        email: `info@${slug}.example`,
        municipalityCode: firm.municipalityCode,
        language: firm.language ?? 'sv',
        categories: firm.categories,
        csr: firm.csr,
      }),
      now,
      // The first subscription (from the categories) with the firm's frequency and filters: one change, one summary.
      { frequency: firm.frequency ?? 'instant', ...firm.filters },
    );
    firmIds.push(id);
    // Demo addresses are fictitious (.example): take them as confirmed.
    await confirmAddress(db, id);
  }

  for (const [i, notice] of demoNotices.entries()) if (i >= early) await publishDemo(i, notice);
  await seedDemoUsers(db, firmIds[0]);
  log.info({ firms: demoFirms.length, notices: demoNotices.length }, 'demo data seeded');
  return true;
}

// --- demo users: one of each role ---------------------------------------------

const DEMO_OFFICER_BUYER = demoBuyers.lerum;
const demoFirmEmail = `info@${emailSlug(demoFirms[0].name)}.example`;
const DEMO_STAFF = [
  { role: 'admin', email: 'admin@brygga.example', name: 'Demo Administratör' },
  { role: 'staff', email: 'naringsliv@brygga.example', name: 'Demo Näringslivsenheten' },
  { role: 'officer', email: 'upphandlare@lerum.example', name: 'Demo Upphandlare' },
] as const;

/**
 * An admin, a staff member, an officer of Lerums kommun and a user of the first
 * demo firm (its owner: the one registration made, else one made here).
 */
async function seedDemoUsers(db: Db, firmId: string): Promise<void> {
  const lerum = await buyerByOrgNumber(db, DEMO_OFFICER_BUYER.orgNumber.replace('-', ''));
  for (const u of DEMO_STAFF) {
    if (await findUserByEmail(db, u.email)) continue;
    if (u.role === 'officer' && !lerum) continue; // no demo notice of Lerum stored its buyer
    await addUser(db, { email: u.email, name: u.name, roles: [u.role], buyerId: u.role === 'officer' ? lerum!.id : null });
  }
  const users = await usersOfCompany(db, firmId);
  if (!users.some((u) => u.is_owner === 1) && !(await findUserByEmail(db, demoFirmEmail))) {
    await addUser(db, { email: demoFirmEmail, roles: ['firm'], companyId: firmId, isOwner: true });
  }
}

export type DemoSignIn = { role: string; email: string; of: string | null };

/** The demo users that exist, one line each for `npm start` to print (none when the demo was never seeded). */
export async function demoSignIns(db: Db): Promise<DemoSignIn[]> {
  const found: DemoSignIn[] = [];
  for (const u of DEMO_STAFF) {
    if (await findUserByEmail(db, u.email)) found.push({ role: u.role, email: u.email, of: u.role === 'officer' ? DEMO_OFFICER_BUYER.name : null });
  }
  const firm = await findCompanyByOrgNumber(db, `${demoFirms[0].stem}${luhnCheckDigit(demoFirms[0].stem)}`);
  const owner = firm ? (await usersOfCompany(db, firm.id)).sort((a, b) => b.is_owner - a.is_owner)[0] : undefined;
  if (owner) found.push({ role: 'firm', email: owner.email, of: demoFirms[0].name });
  return found;
}
