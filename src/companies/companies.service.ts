// Registering firms, keeping their profile up to date, and their subscriptions.
// Every change is one transaction; what workers must act on goes through the outbox.
import { z } from 'zod';
import { inTransaction, type Db } from '../../db/database.ts';
import { parseOrgNumber, OrgNumberError } from '../domain/orgnr.ts';
import { AppError, notFound, parseOr400 } from '../http/errors.ts';
import { newId, nowIso } from '../ids.ts';
import { t } from '../i18n/messages.ts';
import { addToOutbox } from '../queue/outbox.repo.ts';
import {
  companyPatchSchema, subscriptionInputSchema,
  type CompanyInput, type SubscriptionFilters, type SubscriptionInput,
} from './company.schema.ts';
import * as repo from './companies.repo.ts';


/** Closing reminders by default for instant alerts; digests list closing notices already. */
export const defaultReminderDays = (frequency: string): number | null => (frequency === 'instant' ? 3 : null);

export async function registerCompany(db: Db, input: CompanyInput): Promise<{ id: string; subscriptionId: string }> {
  const orgNumber = checkedOrgNumber(input.orgNumber, input.soleTrader);
  return inTransaction(db, async (trx) => {
    if (await repo.findCompanyByOrgNumber(trx, orgNumber)) {
      throw new AppError(409, 'already_registered', 'orgNumber: a company with this organisationsnummer is already registered', [
        { path: 'orgNumber', message: 'already registered' },
      ]);
    }
    const id = newId();
    const now = nowIso();
    await repo.insertCompany(trx, {
      id, org_number: orgNumber, name: input.name, email: input.email,
      municipality_code: input.municipalityCode, language: input.language, created_at: now, updated_at: now,
    });
    await repo.replaceCategories(trx, id, codesOf(input.categories));
    await repo.replaceCapabilities(trx, id, capabilitiesOf(input.csr));
    const first = subscriptionInputSchema.parse({ name: t(input.language, 'subscription.default'), cpv: input.categories });
    const subscriptionId = await createSubscription(trx, id, first);
    // Double opt-in: the confirmation e-mail goes out through the outbox.
    await addToOutbox(trx, { topic: 'company.registered', payload: { companyId: id, round: 1 } });
    return { id, subscriptionId };
  });
}

/**
 * Name, address, municipality, language, categories and CSR profile; fields
 * not given keep their value. A new address must be confirmed again: alerts
 * stop until it is.
 */
export async function updateCompany(db: Db, id: string, patch: unknown): Promise<void> {
  await inTransaction(db, async (trx) => {
    const details = await repo.companyDetails(trx, id);
    if (!details) throw notFound('Company');
    const current = presentCompany(details);
    const editable = Object.fromEntries(Object.keys(companyPatchSchema.shape).map((key) => [key, current[key as keyof typeof current]]));
    const next = patched(companyPatchSchema, editable, patch);
    const categories = codesOf(next.categories);
    const csr = capabilitiesOf(next.csr);
    const profileChanged =
      !same(categories, current.categories) || !same(csr, current.csr) || next.municipalityCode !== current.municipalityCode;
    const newAddress = next.email !== current.email;
    if (!profileChanged && !newAddress && next.name === current.name && next.language === current.language) return;

    const round = details.company.confirm_round + 1;
    await repo.updateCompany(trx, id, {
      name: next.name, email: next.email, municipality_code: next.municipalityCode, language: next.language, updated_at: nowIso(),
      ...(newAddress && { email_status: 'unconfirmed', email_confirmed_at: null, permanent_failures: 0, confirm_round: round }),
    });
    if (!same(categories, current.categories)) await repo.replaceCategories(trx, id, categories);
    if (!same(csr, current.csr)) await repo.replaceCapabilities(trx, id, csr);
    if (profileChanged) await repo.bumpSubscriptionsRevision(trx);
    if (newAddress) await addToOutbox(trx, { topic: 'company.registered', payload: { companyId: id, round } });
  });
}

/** Sends the confirmation e-mail again (a new round) while the address is unconfirmed. */
export async function resendConfirmation(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const company = await repo.findCompany(trx, id);
    if (!company) throw notFound('Company');
    if (company.email_status === 'confirmed') throw new AppError(409, 'already_confirmed', 'The e-mail address is already confirmed');
    if (company.email_status !== 'unconfirmed') {
      throw new AppError(409, 'address_suspended', 'The e-mail address is suspended after failed deliveries: give a new one');
    }
    const round = company.confirm_round + 1;
    await repo.updateCompany(trx, id, { confirm_round: round });
    await addToOutbox(trx, { topic: 'company.registered', payload: { companyId: id, round } });
  });
}

export async function addSubscription(db: Db, companyId: string, input: SubscriptionInput): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    if (!(await repo.findCompany(trx, companyId))) throw notFound('Company');
    return { id: await createSubscription(trx, companyId, input) };
  });
}

/** Any field of a subscription; `cpv` replaces the list. Matched anew when what it matches changed. */
export async function updateSubscription(db: Db, companyId: string, id: string, patch: unknown): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { id: _id, active, ...stored } = await subscriptionOf(trx, companyId, id);
    const current = subscriptionInputSchema.parse(stored); // every field, filters added since with their defaults
    const before = normalised(current);
    const after = normalised(patched(subscriptionInputSchema, current, patch));
    if (same(before, after)) return;
    const { name, frequency, reminderDays, cpv, ...filters } = after;
    await repo.updateSubscription(trx, id, {
      name, frequency, reminder_days: reminderDays ?? null, filters: JSON.stringify(filters), updated_at: nowIso(),
    });
    const matchesChanged = !same(whatItMatches(before), whatItMatches(after));
    if (matchesChanged) await repo.replaceSubscriptionCpv(trx, id, cpv);
    // A paused subscription is matched when it is resumed.
    if (matchesChanged && active) await subscriptionChanged(trx, companyId, id);
    else await repo.bumpSubscriptionsRevision(trx);
  });
}

export async function deleteSubscription(db: Db, companyId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await subscriptionOf(trx, companyId, id);
    await repo.deleteSubscription(trx, id);
    await repo.bumpSubscriptionsRevision(trx);
  });
}

/** Pause (no alerts, no digests) or resume; resuming matches it against the notices open now. */
export async function setSubscriptionActive(db: Db, companyId: string, id: string, active: boolean): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await subscriptionOf(trx, companyId, id);
    if (current.active === active) return;
    await repo.updateSubscription(trx, id, { active: active ? 1 : 0, updated_at: nowIso() });
    if (active) await subscriptionChanged(trx, companyId, id);
    else await repo.bumpSubscriptionsRevision(trx);
  });
}

/** The API shape of a company; subscriptions carry their CPV codes. */
export async function getCompany(db: Db, id: string) {
  const details = await repo.companyDetails(db, id);
  if (!details) throw notFound('Company');
  return presentCompany(details);
}

/** The API shape of one subscription; another firm's is not found. */
export async function subscriptionOf(db: Db, companyId: string, id: string) {
  const found = await repo.findSubscription(db, companyId, id);
  if (!found) throw notFound('Subscription');
  return presentSubscription(found.row, found.cpv);
}

async function createSubscription(trx: Db, companyId: string, input: SubscriptionInput): Promise<string> {
  const id = newId();
  const now = nowIso();
  const { name, cpv, frequency, reminderDays = defaultReminderDays(frequency), ...filters } = input;
  await repo.insertSubscription(trx, {
    id, company_id: companyId, name, frequency, reminder_days: reminderDays, filters: JSON.stringify(filters), created_at: now, updated_at: now,
  });
  await repo.replaceSubscriptionCpv(trx, id, codesOf(cpv));
  await subscriptionChanged(trx, companyId, id);
  return id;
}

/** Engines reload, and the subscription is matched against the notices open now (one summary e-mail). */
async function subscriptionChanged(trx: Db, companyId: string, subscriptionId: string): Promise<void> {
  await repo.bumpSubscriptionsRevision(trx);
  await addToOutbox(trx, { topic: 'subscription.changed', payload: { companyId, subscriptionId, change: newId() } });
}

type CompanyDetails = NonNullable<Awaited<ReturnType<typeof repo.companyDetails>>>;

function presentCompany({ company, categories, capabilities, subscriptions, subscriptionCpv }: CompanyDetails) {
  return {
    id: company.id,
    orgNumber: parseOrgNumber(company.org_number, { allowPersonal: true }).canonical,
    name: company.name,
    email: company.email,
    municipalityCode: company.municipality_code,
    language: company.language,
    emailStatus: company.email_status,
    categories: categories.map((c) => c.code),
    csr: capabilities.map((c) => ({ capability: c.capability, validUntil: c.valid_until })),
    subscriptions: subscriptions.map((s) =>
      presentSubscription(s, subscriptionCpv.filter((c) => c.subscription_id === s.id).map((c) => c.code)),
    ),
    createdAt: company.created_at,
  };
}

function presentSubscription(s: repo.SubscriptionRow, cpv: string[]) {
  return {
    id: s.id,
    name: s.name,
    frequency: s.frequency,
    active: s.active === 1,
    reminderDays: s.reminder_days,
    ...(JSON.parse(s.filters) as SubscriptionFilters),
    cpv,
  };
}

const patchBody = z.record(z.string(), z.unknown());

/** A PATCH body laid over the current values and checked whole, so every rule (e.g. minValue ≤ maxValue) holds after it. */
function patched<S extends z.ZodType>(schema: S, current: Record<string, unknown>, patch: unknown): z.output<S> {
  const body = parseOr400(patchBody, patch);
  const fixed = Object.keys(body).filter((key) => !Object.hasOwn(current, key));
  if (fixed.length > 0) {
    const details = fixed.map((path) => ({ path, message: 'not a field that can be changed here' }));
    throw new AppError(400, 'validation_failed', `${details[0].path}: ${details[0].message}`, details);
  }
  return parseOr400(schema, { ...current, ...body });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const codesOf = (codes: string[]) => [...new Set(codes)].sort();
/** One entry per capability (the last given wins), in the order GET shows them. */
const capabilitiesOf = (csr: CompanyInput['csr']) =>
  [...new Map(csr.map((c) => [c.capability, c.validUntil]))]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([capability, validUntil]) => ({ capability, validUntil }));
const normalised = (s: SubscriptionInput) => ({ ...s, cpv: codesOf(s.cpv) });
const whatItMatches = ({ name: _name, frequency: _frequency, reminderDays: _reminderDays, ...rest }: SubscriptionInput) => rest;

function checkedOrgNumber(value: string, soleTrader: boolean): string {
  try {
    return parseOrgNumber(value, { allowPersonal: soleTrader }).digits;
  } catch (error) {
    if (!(error instanceof OrgNumberError)) throw error;
    throw new AppError(400, 'validation_failed', `orgNumber: ${error.message}`, [{ path: 'orgNumber', message: error.message }]);
  }
}
