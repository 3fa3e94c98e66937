import type { Db } from '../../db/database.ts';

export async function findCompany(db: Db, id: string) {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCompanyByOrgNumber(db: Db, orgNumber: string) {
  return db.selectFrom('companies').select('id').where('org_number', '=', orgNumber).executeTakeFirst();
}

export async function companyDetails(db: Db, id: string) {
  const company = await findCompany(db, id);
  if (!company) return undefined;
  const [categories, capabilities, subscriptions, subscriptionCpv] = await Promise.all([
    db.selectFrom('company_categories').select('code').where('company_id', '=', id).orderBy('code').execute(),
    db.selectFrom('company_capabilities').select(['capability', 'valid_until']).where('company_id', '=', id).orderBy('capability').execute(),
    db.selectFrom('subscriptions').selectAll().where('company_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('subscription_cpv')
      .innerJoin('subscriptions', 'subscriptions.id', 'subscription_cpv.subscription_id')
      .select(['subscription_cpv.subscription_id', 'subscription_cpv.code'])
      .where('subscriptions.company_id', '=', id)
      .orderBy('subscription_cpv.code')
      .execute(),
  ]);
  return { company, categories, capabilities, subscriptions, subscriptionCpv };
}
