// A firm's data protection rights: everything Brygga holds about it, as one
// JSON document (export), and deleting it. Deleting removes the firm, its
// users (ending their sessions), subscriptions, capabilities, categories,
// matches and delivery ledger; of the ledger only anonymised counts stay (per
// month, kind and outcome: no firm, address or notice). Both are audited.
import { inTransaction, type Db } from '../../db/database.ts';
import { deleteSessionsOfUser, deleteUser, usersOfCompany } from '../accounts/accounts.repo.ts';
import { audit, type Actor } from '../accounts/audit.ts';
import { parseRoles } from '../domain/access.ts';
import { notFound } from '../http/errors.ts';
import { nowIso } from '../ids.ts';
import { feedbackOf } from '../matching/feedback.repo.ts';
import { bumpSubscriptionsRevision, companyDetails } from './companies.repo.ts';
import { presentCompany } from './companies.service.ts';
import * as data from './firm-data.repo.ts';

const json = (text: string): unknown => JSON.parse(text);

export async function exportCompany(db: Db, actor: Actor, companyId: string) {
  return inTransaction(db, async (trx) => {
    const details = await companyDetails(trx, companyId);
    if (!details) throw notFound('Company');
    const users = await usersOfCompany(trx, companyId);
    const userIds = users.map((u) => u.id);
    const [tokens, sessions, matches, ledger, auditRows, feedback] = await Promise.all([
      data.apiTokensOf(trx, userIds), data.sessionsOf(trx, userIds), data.matchesOfCompany(trx, companyId),
      data.deliveriesOfCompany(trx, companyId), data.auditOf(trx, companyId, userIds), feedbackOf(trx, companyId),
    ]);
    const { company } = details;
    const document = {
      exportedAt: nowIso(),
      company: {
        ...presentCompany(details, { full: true }),
        emailConfirmedAt: company.email_confirmed_at, permanentFailures: company.permanent_failures, updatedAt: company.updated_at,
      },
      users: users.map((u) => ({
        id: u.id, email: u.email, name: u.name, roles: [...parseRoles(u.roles)], owner: u.is_owner === 1, createdAt: u.created_at, updatedAt: u.updated_at,
        apiTokens: tokens.filter((t) => t.user_id === u.id).map((t) => ({
          id: t.id, name: t.name, createdAt: t.created_at, expiresAt: t.expires_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at,
        })),
        sessions: sessions.filter((s) => s.user_id === u.id).map((s) => ({ createdAt: s.created_at, lastSeenAt: s.last_seen_at, expiresAt: s.expires_at })),
      })),
      matches: matches.map((m) => ({
        noticeId: m.notice_id, title: m.title, score: m.score, reasons: json(m.reasons), missing: json(m.missing),
        subscriptionId: m.subscription_id, subscriptionIds: json(m.subscription_ids), matchedAt: m.created_at,
      })),
      notRelevant: feedback.map((f) => ({ noticeId: f.notice_id, reason: f.reason, comment: f.comment, at: f.created_at })),
      deliveries: ledger.deliveries.map((d) => ({
        id: d.id, kind: d.kind, ref: d.ref, status: d.status, attempts: d.attempts, messageId: d.message_id, error: d.error,
        createdAt: d.created_at, sentAt: d.sent_at,
        items: ledger.items.filter((i) => i.delivery_id === d.id).map((i) => ({ noticeId: i.notice_id, section: i.section, revision: i.revision })),
      })),
      audit: auditRows.map((a) => ({
        id: a.id, at: a.at, userId: a.user_id, roles: a.roles ? a.roles.split(' ') : [], action: a.action,
        objectType: a.object_type, objectId: a.object_id, ip: a.ip, details: json(a.details),
      })),
    };
    // Written after it was read, so the export does not list itself.
    await audit(trx, actor, 'company.export', 'company', companyId, {
      users: users.length, matches: matches.length, deliveries: ledger.deliveries.length,
    });
    return document;
  });
}

export type Deleted = { users: number; subscriptions: number; capabilities: number; categories: number; matches: number; deliveries: number };

export async function deleteCompany(db: Db, actor: Actor, companyId: string): Promise<Deleted> {
  return inTransaction(db, async (trx) => {
    const facts = await data.deliveryFacts(trx, companyId);
    const users = await usersOfCompany(trx, companyId);
    // Users first: their sessions end, their sign-in links and API tokens go with them.
    for (const user of users) {
      await deleteSessionsOfUser(trx, user.id);
      await deleteUser(trx, user.id);
    }
    const removed = await data.deleteCompanyRows(trx, companyId);
    if (removed.companies === 0) throw notFound('Company');
    await data.addDeliveryCounts(trx, anonymisedCounts(facts));
    await bumpSubscriptionsRevision(trx); // the match engines forget the firm
    const deleted: Deleted = {
      users: users.length, subscriptions: removed.subscriptions, capabilities: removed.capabilities, categories: removed.categories,
      matches: removed.matches, deliveries: removed.deliveries,
    };
    await audit(trx, actor, 'company.delete', 'company', companyId, deleted);
    return deleted;
  });
}

/** Ledger rows → how many per month (of creation, UTC), kind and status. */
function anonymisedCounts(facts: { created_at: string; kind: string; status: string }[]) {
  const counts = new Map<string, { month: string; kind: string; status: string; count: number }>();
  for (const f of facts) {
    const month = f.created_at.slice(0, 7);
    const key = `${month} ${f.kind} ${f.status}`;
    const row = counts.get(key) ?? { month, kind: f.kind, status: f.status, count: 0 };
    row.count++;
    counts.set(key, row);
  }
  return [...counts.values()];
}
