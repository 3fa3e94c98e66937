// Seeds the demo data on the first start, through the same services the API uses,
// so the demo notices are matched and mailed like real ones.
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { defaultReminderDays, registerCompany, updateSubscription } from '../companies/companies.service.ts';
import { hasCompanies } from '../companies/companies.repo.ts';
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

  for (const firm of demoFirms) {
    const slug = emailSlug(firm.name);
    const { id, subscriptionId } = await registerCompany(
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
    );
    // Demo addresses are fictitious (.example): take them as confirmed.
    await confirmAddress(db, id);
    // Registration made its first subscription from its categories: give it the firm's frequency and filters.
    const frequency = firm.frequency ?? 'instant';
    await updateSubscription(db, id, subscriptionId, { frequency, reminderDays: defaultReminderDays(frequency), ...firm.filters });
  }

  for (const [i, notice] of demoNotices.entries()) if (i >= early) await publishDemo(i, notice);
  log.info({ firms: demoFirms.length, notices: demoNotices.length }, 'demo data seeded');
  return true;
}
