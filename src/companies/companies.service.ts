// Registering firms, keeping their profile up to date, and their subscriptions.
// Every change is one transaction; what workers must act on goes through the outbox.
import { z } from 'zod';
import { inTransaction, type Db } from '../../db/database.ts';
import { findUserByEmail } from '../accounts/accounts.repo.ts';
import { addUser } from '../accounts/accounts.service.ts';
import { parseOrgNumber, OrgNumberError } from '../domain/orgnr.ts';
import { AppError, fieldPath, notFound, parseOr400 } from '../http/errors.ts';
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

export type Registration = {
  /** The new firm's id; for a number already registered, an id that names nothing (see below). */
  id: string;
  subscriptionId: string;
  /** False when nothing was stored: the number, or the address, is already known. */
  registered: boolean;
  /** The firm as registered (or as it would have been): what the API answers with, either way. */
  details: CompanyDetails;
};

/**
 * Registers a firm with its first subscription and its owner: a `firm` user
 * with the registration address, who signs in by e-mail link and invites
 * others. The confirmation e-mail goes out through the outbox.
 *
 * Registration does not tell who is registered. When the organisationsnummer
 * is already registered, or the address already belongs to a user (an address
 * is one user), nothing is stored; the firm's owners (or the address) are told
 * by e-mail instead (at most once a day), and the caller gets the same answer
 * as for a new firm, built from what it sent, with ids that name nothing.
 */
/** `first`: settings for the first subscription beyond its categories (the demo gives each firm its own). */
export async function registerCompany(db: Db, input: CompanyInput, now = new Date(), first: Partial<SubscriptionInput> = {}): Promise<Registration> {
  const orgNumber = checkedOrgNumber(input.orgNumber, input.soleTrader);
  const draft = draftOf(input, orgNumber, now.toISOString(), first);
  const id = draft.company.id;
  const subscriptionId = draft.subscriptions[0].id;
  return inTransaction(db, async (trx) => {
    const day = now.toISOString().slice(0, 10);
    const known = await repo.findCompanyByOrgNumber(trx, orgNumber);
    if (known) {
      await addToOutbox(trx, { topic: 'registration.known', payload: { companyId: known.id, day } });
      return { id, subscriptionId, registered: false, details: draft };
    }
    const user = await findUserByEmail(trx, input.email);
    if (user) {
      await addToOutbox(trx, { topic: 'registration.known', payload: { userId: user.id, day } });
      return { id, subscriptionId, registered: false, details: draft };
    }
    await repo.insertCompany(trx, draft.company);
    await repo.replaceCategories(trx, id, draft.categories.map((c) => c.code));
    await repo.replaceCapabilities(trx, id, draft.capabilities.map((c) => ({ capability: c.capability, validUntil: c.valid_until })));
    await insertSubscription(trx, draft.subscriptions[0], draft.subscriptionCpv.map((c) => c.code));
    await addUser(trx, { email: input.email, roles: ['firm'], companyId: id, isOwner: true });
    // Double opt-in: the confirmation e-mail goes out through the outbox.
    await addToOutbox(trx, { topic: 'company.registered', payload: { companyId: id, round: 1 } });
    return { id, subscriptionId, registered: true, details: draft };
  });
}

/** The rows a registration stores, as `companyDetails` reads them back. */
function draftOf(input: CompanyInput, orgNumber: string, now: string, settings: Partial<SubscriptionInput>): CompanyDetails {
  const id = newId();
  const first = subscriptionInputSchema.parse({ name: t(input.language, 'subscription.default'), cpv: input.categories, ...settings });
  const { name, cpv, frequency, reminderDays = defaultReminderDays(frequency), ...filters } = first;
  const subscription: repo.SubscriptionRow = {
    id: newId(), company_id: id, name, frequency, active: 1, reminder_days: reminderDays, filters: JSON.stringify(filters), created_at: now, updated_at: now,
  };
  return {
    company: {
      id, org_number: orgNumber, name: input.name, email: input.email, municipality_code: input.municipalityCode, language: input.language,
      size: input.size ?? null, founded: input.founded ?? null, email_status: 'unconfirmed', email_confirmed_at: null, permanent_failures: 0, confirm_round: 1, created_at: now, updated_at: now,
    },
    categories: codesOf(input.categories).map((code) => ({ code })),
    capabilities: capabilitiesOf(input.csr).map((c) => ({ capability: c.capability, valid_until: c.validUntil })),
    subscriptions: [subscription],
    subscriptionCpv: codesOf(cpv).map((code) => ({ subscription_id: subscription.id, code })),
  };
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
    const current = presentCompany(details, { full: true });
    const editable = Object.fromEntries(Object.keys(companyPatchSchema.shape).map((key) => [key, current[key as keyof typeof current]]));
    const next = patched(companyPatchSchema, editable, patch);
    const categories = codesOf(next.categories);
    const csr = capabilitiesOf(next.csr);
    const profileChanged =
      !same(categories, current.categories) || !same(csr, current.csr) || next.municipalityCode !== current.municipalityCode;
    const newAddress = next.email !== current.email;
    const factsChanged = (next.size ?? null) !== current.size || (next.founded ?? null) !== current.founded;
    if (!profileChanged && !newAddress && !factsChanged && next.name === current.name && next.language === current.language) return;

    const round = details.company.confirm_round + 1;
    await repo.updateCompany(trx, id, {
      name: next.name, email: next.email, municipality_code: next.municipalityCode, language: next.language, size: next.size ?? null, founded: next.founded ?? null, updated_at: nowIso(),
      ...(newAddress && { email_status: 'unconfirmed', email_confirmed_at: null, permanent_failures: 0, confirm_round: round }),
    });
    if (!same(categories, current.categories)) await repo.replaceCategories(trx, id, categories);
    if (!same(csr, current.csr)) await repo.replaceCapabilities(trx, id, csr);
    if (profileChanged) await repo.bumpSubscriptionsRevision(trx, { kind: 'company', ref: id });
    if (newAddress) await addToOutbox(trx, { topic: 'company.registered', payload: { companyId: id, round } });
  });
}

/**
 * Sends the confirmation e-mail again (a new round) while the address is
 * unconfirmed, or suspended: confirming it again lifts the suspension.
 */
export async function resendConfirmation(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const company = await repo.findCompany(trx, id);
    if (!company) throw notFound('Company');
    if (company.email_status === 'confirmed') throw new AppError(409, 'already_confirmed', 'The e-mail address is already confirmed');
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
    else await repo.bumpSubscriptionsRevision(trx, { kind: 'subscription', ref: id });
  });
}

export async function deleteSubscription(db: Db, companyId: string, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await subscriptionOf(trx, companyId, id);
    await repo.deleteSubscription(trx, id);
    await repo.bumpSubscriptionsRevision(trx, { kind: 'subscription', ref: id });
  });
}

/** Pause (no alerts, no digests) or resume; resuming matches it against the notices open now. */
export async function setSubscriptionActive(db: Db, companyId: string, id: string, active: boolean): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await subscriptionOf(trx, companyId, id);
    if (current.active === active) return;
    await repo.updateSubscription(trx, id, { active: active ? 1 : 0, updated_at: nowIso() });
    if (active) await subscriptionChanged(trx, companyId, id);
    else await repo.bumpSubscriptionsRevision(trx, { kind: 'subscription', ref: id });
  });
}

/** Who sees a sole trader's personnummer whole: the firm's own users and admin (`full`); everyone else, masked. */
export type Viewer = { full: boolean };

/** The API shape of a company; subscriptions carry their CPV codes. */
export async function getCompany(db: Db, id: string, viewer: Viewer) {
  const details = await repo.companyDetails(db, id);
  if (!details) throw notFound('Company');
  return presentCompany(details, viewer);
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
  await insertSubscription(trx, {
    id, company_id: companyId, name, frequency, reminder_days: reminderDays, filters: JSON.stringify(filters), created_at: now, updated_at: now,
  }, cpv);
  return id;
}

/** Stores a subscription with its codes; the engines reload and it is matched against what is open now. */
async function insertSubscription(trx: Db, row: repo.NewSubscription, cpv: string[]): Promise<void> {
  await repo.insertSubscription(trx, row);
  await repo.replaceSubscriptionCpv(trx, row.id, codesOf(cpv));
  await subscriptionChanged(trx, row.company_id, row.id);
}

/** Engines reload, and the subscription is matched against the notices open now (one summary e-mail). */
async function subscriptionChanged(trx: Db, companyId: string, subscriptionId: string): Promise<void> {
  await repo.bumpSubscriptionsRevision(trx, { kind: 'subscription', ref: subscriptionId });
  await addToOutbox(trx, { topic: 'subscription.changed', payload: { companyId, subscriptionId, change: newId() } });
}

export type CompanyDetails = NonNullable<Awaited<ReturnType<typeof repo.companyDetails>>>;

export function presentCompany({ company, categories, capabilities, subscriptions, subscriptionCpv }: CompanyDetails, viewer: Viewer) {
  return {
    id: company.id,
    orgNumber: shownOrgNumber(company.org_number, viewer),
    name: company.name,
    email: company.email,
    municipalityCode: company.municipality_code,
    language: company.language,
    emailStatus: company.email_status,
    categories: categories.map((c) => c.code),
    csr: capabilities.map((c) => ({ capability: c.capability, validUntil: c.valid_until })),
    size: company.size,
    founded: company.founded,
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

const patchBody = z.record(z.string().max(100), z.unknown()).refine((p) => Object.keys(p).length <= 50, 'at most 50 fields');

/** A PATCH body laid over the current values and checked whole, so every rule (e.g. minValue ≤ maxValue) holds after it. */
function patched<S extends z.ZodType>(schema: S, current: Record<string, unknown>, patch: unknown): z.output<S> {
  const body = parseOr400(patchBody, patch);
  const fixed = Object.keys(body).filter((key) => !Object.hasOwn(current, key));
  if (fixed.length > 0) {
    const details = fixed.map((key) => ({ path: fieldPath([key]), message: 'not a field that can be changed here' }));
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

/** `850101-1234` → `850101-****` for a sole trader (a personnummer), unless the viewer may see it whole. */
export function shownOrgNumber(digits: string, viewer: Viewer): string {
  const { canonical, legalForm } = parseOrgNumber(digits, { allowPersonal: true });
  return legalForm === 'personal' && !viewer.full ? `${canonical.slice(0, 7)}****` : canonical;
}

function checkedOrgNumber(value: string, soleTrader: boolean): string {
  try {
    return parseOrgNumber(value, { allowPersonal: soleTrader }).digits;
  } catch (error) {
    if (!(error instanceof OrgNumberError)) throw error;
    throw new AppError(400, 'validation_failed', `orgNumber: ${error.message}`, [{ path: 'orgNumber', message: error.message }]);
  }
}
