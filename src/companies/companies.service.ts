// Registering firms and their subscriptions.
import type { Db } from '../../db/database.ts';
import { parseOrgNumber, OrgNumberError } from '../domain/orgnr.ts';
import { AppError, notFound } from '../http/errors.ts';
import { newId, nowIso } from '../ids.ts';
import { addToOutbox } from '../queue/outbox.ts';
import type { CompanyInput, SubscriptionFilters, SubscriptionInput } from './company.schema.ts';
import * as repo from './companies.repo.ts';

export async function registerCompany(db: Db, input: CompanyInput): Promise<{ id: string }> {
  const orgNumber = checkedOrgNumber(input.orgNumber, input.soleTrader);
  return db.transaction().execute(async (trx) => {
    if (await repo.findCompanyByOrgNumber(trx, orgNumber)) {
      throw new AppError(409, 'already_registered', 'orgNumber: a company with this organisationsnummer is already registered', [
        { path: 'orgNumber', message: 'already registered' },
      ]);
    }
    const id = newId();
    const now = nowIso();
    await trx
      .insertInto('companies')
      .values({
        id, org_number: orgNumber, name: input.name, email: input.email,
        municipality_code: input.municipalityCode, language: input.language, created_at: now, updated_at: now,
      })
      .execute();
    const categories = [...new Set(input.categories)];
    await trx.insertInto('company_categories').values(categories.map((code) => ({ company_id: id, code }))).execute();
    const capabilities = new Map(input.csr.map((c) => [c.capability, c.validUntil]));
    if (capabilities.size > 0) {
      await trx
        .insertInto('company_capabilities')
        .values([...capabilities].map(([capability, validUntil]) => ({ company_id: id, capability, valid_until: validUntil })))
        .execute();
    }
    await bumpSubscriptionsRevision(trx);
    // Double opt-in: the confirmation e-mail goes out through the outbox.
    await addToOutbox(trx, { topic: 'company.registered', payload: { companyId: id } });
    return { id };
  });
}

/** Match engines reload their index when this number moves. */
export async function bumpSubscriptionsRevision(db: Db): Promise<void> {
  await db
    .updateTable('revisions')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'subscriptions')
    .execute();
}

export async function addSubscription(db: Db, companyId: string, input: SubscriptionInput): Promise<{ id: string }> {
  return db.transaction().execute(async (trx) => {
    if (!(await repo.findCompany(trx, companyId))) throw notFound('Company');
    const id = newId();
    const { name, cpv, frequency, ...filters } = input;
    await trx
      .insertInto('subscriptions')
      .values({ id, company_id: companyId, name, frequency, filters: JSON.stringify(filters), created_at: nowIso() })
      .execute();
    const codes = [...new Set(cpv)];
    await trx.insertInto('subscription_cpv').values(codes.map((code) => ({ subscription_id: id, code }))).execute();
    await bumpSubscriptionsRevision(trx);
    return { id };
  });
}

/** The API shape of a company; subscriptions carry their CPV codes. */
export async function getCompany(db: Db, id: string) {
  const details = await repo.companyDetails(db, id);
  if (!details) throw notFound('Company');
  const { company, categories, capabilities, subscriptions, subscriptionCpv } = details;
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
    subscriptions: subscriptions.map((s) => ({
      id: s.id,
      name: s.name,
      frequency: s.frequency,
      active: s.active === 1,
      ...(JSON.parse(s.filters) as SubscriptionFilters),
      cpv: subscriptionCpv.filter((c) => c.subscription_id === s.id).map((c) => c.code),
    })),
    createdAt: company.created_at,
  };
}

function checkedOrgNumber(value: string, soleTrader: boolean): string {
  try {
    return parseOrgNumber(value, { allowPersonal: soleTrader }).digits;
  } catch (error) {
    if (!(error instanceof OrgNumberError)) throw error;
    throw new AppError(400, 'validation_failed', `orgNumber: ${error.message}`, [{ path: 'orgNumber', message: error.message }]);
  }
}
