// The database as Kysely sees it. Dates are ISO-8601 UTC text, JSON is text,
// booleans are 0/1: the same columns work on SQLite and PostgreSQL.
import type { Generated, Selectable } from 'kysely';

export interface BuyersTable {
  id: string;
  name: string;
  org_number: string | null;
  nuts: string | null;
  created_at: string;
}

export interface NoticesTable {
  id: string;
  source: string;
  source_id: string;
  version: string | null;
  procedure_id: string | null;
  kind: string;
  title: string;
  description: string | null;
  language: string;
  buyer_id: string;
  estimated_amount: number | null;
  estimated_currency: string | null;
  published_at: string | null;
  deadline: string | null;
  procedure: string | null;
  sme_suitable: number | null;
  /** The buyer's own case number (diarienummer): with the buyer, the identity of an officer's notice. */
  reference: string | null;
  /** active | withdrawn */
  status: string;
  /** Bumped on every stored change; part of the queue job ids. */
  revision: number;
  content_hash: string;
  /** The whole notice in the DESIGN.md shape, as JSON. */
  document: string;
  created_at: string;
  updated_at: string;
}

export interface NoticeCpvTable {
  notice_id: string;
  code: string;
  lot_id: string | null;
  is_main: number;
}

export interface NoticeLotsTable {
  notice_id: string;
  lot_id: string;
  title: string | null;
  cpv_main: string | null;
  estimated_amount: number | null;
  estimated_currency: string | null;
}

export interface NoticeCriteriaTable {
  notice_id: string;
  kind: string;
  code: string;
}

export interface NoticePlacesTable {
  notice_id: string;
  nuts: string;
}

export interface AwardsTable {
  id: string;
  notice_id: string;
  lot_id: string | null;
  winner_name: string;
  winner_org_number: string | null;
  winner_size: string | null;
  winner_nuts: string | null;
  winner_postal_code: string | null;
  amount: number | null;
  currency: string | null;
  tenders_received: number | null;
  /** The day the contract was awarded (YYYY-MM-DD), when known. */
  awarded_on: string | null;
}

/** An officer's unpublished notice: the publish form's values as JSON, never indexed, matched or alerted. */
export interface NoticeDraftsTable {
  id: string;
  buyer_id: string;
  title: string;
  /** JSON: the form's values (src/web/officer/notice-form.ts). */
  form: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CompaniesTable {
  id: string;
  org_number: string;
  name: string;
  email: string;
  municipality_code: string;
  language: string;
  /** unconfirmed | confirmed | suspended: alerts go only to confirmed addresses. */
  email_status: Generated<string>;
  email_confirmed_at: string | null;
  permanent_failures: Generated<number>;
  /** Bumped each time a confirmation e-mail is (re)sent. */
  confirm_round: Generated<number>;
  /** micro | small | medium | large, as the firm states it (issue 14: a contract's size when the award gives none). */
  size: string | null;
  /** YYYY-MM-DD: the day the firm was founded (registered with Bolagsverket), as the firm states it. */
  founded: string | null;
  created_at: string;
  updated_at: string;
}

export interface CompanyCategoriesTable {
  company_id: string;
  code: string;
}

export interface CompanyCapabilitiesTable {
  company_id: string;
  capability: string;
  valid_until: string | null;
}

export interface SubscriptionsTable {
  id: string;
  company_id: string;
  name: string;
  frequency: string;
  active: Generated<number>;
  /** JSON: the SubscriptionFilters of company.schema.ts. */
  filters: Generated<string>;
  /** Remind this many days before the deadline of notices alerted through it; null: never. */
  reminder_days: number | null;
  created_at: string;
  updated_at: string | null;
}

export interface SubscriptionCpvTable {
  subscription_id: string;
  code: string;
}

export interface MatchesTable {
  id: string;
  notice_id: string;
  company_id: string;
  score: number;
  /** JSON array of { code, sv, en }. */
  reasons: string;
  /** The subscription whose rules gave the best score. */
  subscription_id: string | null;
  /** JSON array of requirement codes the firm does not meet. */
  missing: Generated<string>;
  /** JSON array of every subscription of the firm that matched. */
  subscription_ids: Generated<string>;
  created_at: string;
}

/** A firm's "inte relevant" on a match: one row per (firm, notice), with its reason (used later for scoring). */
export interface MatchFeedbackTable {
  company_id: string;
  notice_id: string;
  /** 0: not relevant (the only kind so far). */
  relevant: Generated<number>;
  /** wrong-category | too-far | too-large | too-small | requirements | other */
  reason: string;
  comment: string | null;
  user_id: string | null;
  created_at: string;
}

export interface DeliveriesTable {
  id: string;
  company_id: string;
  /** instant | change | opening | reminder | daily | weekly | confirm */
  kind: string;
  /** The notice (instant), notice-revision (change), the period (2026-11-27, 2026-W48), the subscription change (opening) or the confirmation round. */
  ref: string;
  /**
   * pending | sending (claimed by `owner` until `lease_until`) | sent | failed |
   * held (the address was suspended) | released (its open notices went into the summary after the suspension was lifted)
   */
  status: string;
  attempts: Generated<number>;
  message_id: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The attempt sending it now (while `sending`). */
  owner: string | null;
  /** ISO time after which another worker may take a `sending` row over. */
  lease_until: string | null;
  /** 5xx answers counted against this row (not those during a relay fault). */
  rejections: Generated<number>;
}

/** Every 5xx answer of the relay, when and for which firm: how a relay fault is told from a bad address. */
export interface MailRejectionsTable {
  at: string;
  company_id: string;
}

export interface DeliveryItemsTable {
  delivery_id: string;
  company_id: string;
  notice_id: string;
  /** new | closing | changed | reminder */
  section: string;
  revision: Generated<number>;
}

export interface NoticeChangesTable {
  id: string;
  notice_id: string;
  revision: number;
  /** The source document that brought the change (e.g. a change notice's id). */
  source_ref: string | null;
  /** JSON array of changed field names of the notice shape. */
  fields: string;
  material: number;
  /** JSON array of { field, before, after } for the material fields (see domain/changes.ts). */
  details: Generated<string>;
  /** Why: the officer's reason for a withdrawal. */
  reason: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  topic: string;
  payload: string;
  created_at: string;
  relayed_at: string | null;
  /** The X-Request-Id of the request that wrote the row (null: not a request). */
  request_id: string | null;
}

export interface RevisionsTable {
  name: string;
  value: number;
}

/** What moved the subscriptions revision to `revision`: the match index's change feed. */
export interface IndexChangesTable {
  revision: number;
  kind: 'subscription' | 'company' | 'all';
  ref: string | null;
}

export interface MunicipalitiesTable {
  code: string;
  name: string;
  short_name: string;
  county_code: string;
}

export interface PostalCodesTable {
  postal_code: string;
  locality: string;
  municipality_code: string;
}

export interface CpvLabelsTable {
  code: string;
  label_sv: string;
  label_en: string;
}

export interface UsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string | null;
  /** Space-separated roles: firm, officer, staff, admin. */
  roles: string;
  /** The firm a `firm` user acts for. */
  company_id: string | null;
  /** The buyer organisation an `officer` acts for. */
  buyer_id: string | null;
  /** The firm's first user, who invites others. */
  is_owner: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A one-time sign-in link, a session or an API token: `id.secret`, the secret kept as SHA-256. */
interface UserSecret {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  expires_at: string;
}

export interface LoginTokensTable extends UserSecret {
  used_at: string | null;
}

export interface SessionsTable extends UserSecret {
  last_seen_at: string;
}

export interface ApiTokensTable extends UserSecret {
  name: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  at: string;
  user_id: string | null;
  roles: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  /** JSON. */
  details: Generated<string>;
}

/** What is left of a deleted firm's delivery ledger: how many e-mails of a kind, in a month, ended how. */
export interface DeliveryCountsTable {
  /** YYYY-MM (UTC). */
  month: string;
  kind: string;
  /** sent | failed | pending */
  status: string;
  count: number;
}

/** The ledger of e-mail about accounts that belongs to no firm (a registration attempt); the id is the Message-ID. */
export interface AccountMailsTable {
  id: string;
  /** known-firm | known-address */
  kind: string;
  /** What makes it one e-mail, e.g. the firm or user and the day. */
  ref: string;
  /** pending | sent | failed */
  status: string;
  attempts: Generated<number>;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A firm's workplaces (arbetsställen) besides its registered municipality (issue 14). */
export interface CompanyWorkplacesTable {
  company_id: string;
  municipality_code: string;
}

/** Staff's supplier register (CSV import): one row per supplier and workplace municipality. */
export interface SupplierRegisterTable {
  org_number: string;
  municipality_code: string;
  name: string;
  /** normaliseLegalName(name) (src/domain/locality.ts). */
  name_key: string;
  postal_code: string | null;
  /** The imported file's name. */
  source: string;
  imported_at: string;
}

/** Staff's word on a name match: `confirmed` or `rejected`. */
export interface NameMatchDecisionsTable {
  name_key: string;
  org_number: string;
  decision: string;
  user_id: string | null;
  decided_at: string;
}

/** Derived by src/stats from the notices: one row per procurement. */
export interface StatProcurementsTable {
  notice_id: string;
  buyer_org: string | null;
  /** YYYY-MM-DD: the publication day (Europe/Stockholm), a direct award's day of award. */
  day: string | null;
  source: string;
  direct: number;
  procedure: string | null;
  /** goods | services | works (from the main CPV code). */
  contract_type: string | null;
  cpv_division: string | null;
  social: number;
  environmental: number;
  innovation: number;
  reserved: number;
  contracts: number;
}

/** Derived by src/stats: one row per contract (award: winner × lot) with the supplier's place. */
export interface StatContractsTable extends Omit<StatProcurementsTable, 'contracts'> {
  award_id: string;
  /** micro | small | medium | large: the award's, else the winning firm's profile (size_source). */
  size: string | null;
  /** award | firm | null (unknown) */
  size_source: string | null;
  /** SEK; null when unknown or in another currency. */
  amount: number | null;
  tenders_received: number | null;
  winner_name: string;
  winner_org: string | null;
  name_key: string;
  address_municipality: string | null;
  winner_nuts: string | null;
  /** home | local-area | county | sweden | abroad | unknown */
  level: string;
  /** firm | register | address | name | name-confirmed | unknown */
  rule: string;
  municipality_code: string | null;
  matched_org: string | null;
  company_id: string | null;
}

export interface StatStateTable {
  key: string;
  value: string;
}

/** Accounts payable, one row per invoice line (a credit note is negative). */
export interface InvoicesTable {
  id: string;
  buyer_org: string | null;
  day: string;
  supplier_org: string | null;
  supplier_name: string;
  name_key: string;
  amount: number;
  account: string | null;
  source: string;
  imported_at: string;
}

export interface Database {
  buyers: BuyersTable;
  notices: NoticesTable;
  notice_cpv: NoticeCpvTable;
  notice_lots: NoticeLotsTable;
  notice_criteria: NoticeCriteriaTable;
  notice_places: NoticePlacesTable;
  awards: AwardsTable;
  companies: CompaniesTable;
  company_categories: CompanyCategoriesTable;
  company_capabilities: CompanyCapabilitiesTable;
  subscriptions: SubscriptionsTable;
  subscription_cpv: SubscriptionCpvTable;
  matches: MatchesTable;
  match_feedback: MatchFeedbackTable;
  notice_drafts: NoticeDraftsTable;
  deliveries: DeliveriesTable;
  delivery_items: DeliveryItemsTable;
  notice_changes: NoticeChangesTable;
  outbox: OutboxTable;
  revisions: RevisionsTable;
  index_changes: IndexChangesTable;
  municipalities: MunicipalitiesTable;
  postal_codes: PostalCodesTable;
  cpv_labels: CpvLabelsTable;
  users: UsersTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  delivery_counts: DeliveryCountsTable;
  account_mails: AccountMailsTable;
  mail_rejections: MailRejectionsTable;
  company_workplaces: CompanyWorkplacesTable;
  supplier_register: SupplierRegisterTable;
  name_match_decisions: NameMatchDecisionsTable;
  stat_procurements: StatProcurementsTable;
  stat_contracts: StatContractsTable;
  stat_state: StatStateTable;
  invoices: InvoicesTable;
}

// Row types for the repos (`*.repo.ts`); services take row shapes from their repo.
export type NoticeRow = Selectable<NoticesTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
