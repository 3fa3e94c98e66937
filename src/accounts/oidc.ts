// Single sign-on with OpenID Connect (authorization code flow with PKCE,
// openid-client): officers and staff sign in at the municipality's identity
// provider; a configured claim (e.g. groups) gives their roles. The provider
// is discovered on first use, so Brygga starts even when it cannot be reached.
// What a sign-in must remember between leaving and coming back (state, nonce,
// PKCE verifier) travels in a short-lived cookie, encrypted and authenticated
// with a key derived from SECRET_KEY: nothing in the callback's query is
// trusted without it.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Logger } from 'pino';
import { inTransaction, type Db } from '../../db/database.ts';
import type { OidcRole, OidcSettings } from '../config.ts';
import { AppError } from '../http/errors.ts';
import { upsertBuyer } from '../notices/notices.repo.ts';
import * as repo from './accounts.repo.ts';
import { startSession, type SessionPolicy } from './sessions.service.ts';

export const CALLBACK_PATH = '/auth/oidc/callback';
export const FLOW_COOKIE = 'brygga_oidc';
/** How long a started sign-in may take at the identity provider. */
const FLOW_SECONDS = 600;

/** What a started sign-in must find again in the callback. */
export type Flow = { state: string; nonce: string; verifier: string; expires: number };

/** Who the identity provider says signed in. */
export type OidcIdentity = { subject: string; email: string | null; emailVerified: boolean | null; name: string | null; claimValues: string[] };

// --- the flow cookie: AES-256-GCM under a key of its own ---------------------

export function flowKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'brygga', 'oidc flow cookie', 32));
}

export function sealFlow(key: Buffer, flow: Flow): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The flow sealed in the cookie; null when missing, tampered with, sealed under another key or expired. */
export function openFlow(key: Buffer, sealed: string | null, now = Date.now()): Flow | null {
  if (!sealed || !/^[A-Za-z0-9_-]{40,2000}$/.test(sealed)) return null;
  const raw = Buffer.from(sealed, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const flow = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as Flow;
    return typeof flow.expires === 'number' && now < flow.expires ? flow : null;
  } catch {
    return null;
  }
}

const cookieAttributes = (maxAge: number, secure: boolean) =>
  ['Path=/auth/oidc', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])].join('; ');

/** SameSite=Lax: the provider's redirect back is a top-level GET, which carries it. */
export const flowCookie = (sealed: string, secure: boolean) => `${FLOW_COOKIE}=${sealed}; ${cookieAttributes(FLOW_SECONDS, secure)}`;
export const clearedFlowCookie = (secure: boolean) => `${FLOW_COOKIE}=; ${cookieAttributes(0, secure)}`;

// --- claims to roles ----------------------------------------------------------

/** The values of a claim: by its exact name first (names may be URLs), else as a dotted path. */
export function claimValues(claims: Record<string, unknown>, name: string): string[] {
  let value: unknown = claims[name];
  if (value === undefined && name.includes('.')) {
    value = name.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), claims);
  }
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** The roles the mapping gives these claim values, in a stable order. */
export function rolesFor(values: string[], mapping: Map<string, OidcRole[]>): OidcRole[] {
  const given = new Set(values.flatMap((v) => mapping.get(v) ?? []));
  return (['officer', 'staff', 'admin'] as const).filter((r) => given.has(r));
}

// --- the relying party --------------------------------------------------------

/** openid-client's errors about what the provider (or the browser) sent, as opposed to not reaching it. */
const refused = (error: unknown) =>
  error instanceof client.ClientError || error instanceof client.AuthorizationResponseError ||
  error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError;

export class OidcClient {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(private readonly settings: OidcSettings, private readonly publicUrl: string, private readonly log: Logger) {}

  get redirectUri(): string {
    return `${this.publicUrl}${CALLBACK_PATH}`;
  }

  /** The provider's metadata, fetched once; a failure is not kept, so the next sign-in tries again. */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = null;
      throw error;
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const url = new URL(issuer);
    try {
      return await client.discovery(url, clientId, { redirect_uris: [this.redirectUri] }, client.ClientSecretPost(clientSecret), {
        // Plain http is allowed by the configuration only to this machine (tests, a local provider).
        execute: url.protocol === 'http:' ? [client.allowInsecureRequests] : [],
        timeout: 10,
      });
    } catch (error) {
      this.log.error({ err: error, issuer }, 'OpenID Connect discovery failed');
      const reason = refused(error) ? 'answered with metadata Brygga cannot use' : 'cannot be reached';
      throw new AppError(503, 'sso_unavailable', `Single sign-on is unavailable: the identity provider ${issuer} ${reason}; try again later`);
    }
  }

  /** Where to send the browser, and what to remember until it comes back. */
  async begin(now = Date.now()): Promise<{ url: URL; flow: Flow }> {
    const config = await this.configuration();
    const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), expires: now + FLOW_SECONDS * 1000 };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    return { url, flow };
  }

  /**
   * Checks the provider's answer (issuer, state, then at the token endpoint the
   * code with the PKCE verifier, and the ID token's signature, issuer, audience
   * and nonce) and says who signed in. Claims missing from the ID token are
   * taken from the userinfo endpoint (for the same subject).
   */
  async finish(callbackUrl: URL, flow: Flow): Promise<OidcIdentity> {
    const config = await this.configuration();
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        pkceCodeVerifier: flow.verifier,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      let claims: Record<string, unknown> = { ...idClaims };
      const missing = typeof idClaims.email !== 'string' || claimValues(claims, this.settings.roleClaim).length === 0;
      if (missing && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      }
      return {
        subject: idClaims.sub,
        email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
        emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : null,
        name: typeof claims.name === 'string' ? claims.name.trim().slice(0, 200) || null : null,
        claimValues: claimValues(claims, this.settings.roleClaim),
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (refused(error)) {
        // What was wrong (state, nonce, issuer, code) is for the log; the browser is told to start again.
        this.log.warn({ err: error, code: (error as { code?: string }).code }, 'OpenID Connect sign-in refused');
        throw new AppError(400, 'sso_refused', 'The sign-in could not be verified; start it again');
      }
      this.log.error({ err: error }, 'OpenID Connect sign-in failed');
      throw new AppError(502, 'sso_unavailable', 'The identity provider could not complete the sign-in; try again later');
    }
  }
}

// --- signing in -----------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The user the identity belongs to, created or brought up to date, and a new
 * session for them. Single sign-on decides an account's officer, staff and admin
 * roles; an account whose roles or organisation change loses its other sessions.
 * Nobody is created without a mapped role, and a firm's account is never made
 * an officer's (procurement and bidding stay apart).
 */
export async function signInWithOidc(db: Db, settings: OidcSettings, identity: OidcIdentity, policy: SessionPolicy, ip: string | null) {
  const roles = rolesFor(identity.claimValues, settings.roles);
  if (roles.length === 0) throw new AppError(403, 'sso_no_role', 'Your account at the identity provider gives no role in Brygga');
  if (!identity.email || !EMAIL.test(identity.email) || identity.email.length > 254) {
    throw new AppError(403, 'sso_no_email', 'The identity provider sent no usable e-mail address');
  }
  if (identity.emailVerified === false) throw new AppError(403, 'sso_unverified_email', 'The identity provider has not verified the e-mail address');
  const email = identity.email;

  return inTransaction(db, async (trx) => {
    const existing = await repo.findUserByEmail(trx, email);
    if (existing && (existing.company_id || existing.roles.split(' ').includes('firm'))) {
      throw new AppError(403, 'sso_firm_account', 'This address belongs to a firm’s account; sign in with an e-mail link');
    }
    const buyerId = roles.includes('officer') && !existing?.buyer_id
      ? await upsertBuyer(trx, { name: settings.buyer.name, orgNumber: settings.buyer.orgNumber, nuts: settings.buyer.nuts })
      : (existing?.buyer_id ?? null);
    const audit = (action: string, userId: string, details: object) =>
      repo.appendAudit(trx, { user_id: userId, roles: roles.join(' '), ip, action, object_type: 'user', object_id: userId, details: { via: 'oidc', ...details } });

    let userId: string;
    if (!existing) {
      userId = await repo.insertUser(trx, { email, name: identity.name, roles: roles.join(' '), company_id: null, buyer_id: buyerId, is_owner: 0 });
      await audit('user.add', userId, { roles, buyerId });
    } else {
      userId = existing.id;
      const before = existing.roles.split(' ').filter(Boolean).sort().join(' ');
      const changed = before !== [...roles].sort().join(' ') || existing.buyer_id !== buyerId;
      if (changed) {
        await repo.updateUser(trx, userId, { roles: roles.join(' '), buyer_id: buyerId, ...(identity.name ? { name: identity.name } : {}) });
        // A role is never kept by an old cookie: every other session of this user ends.
        await repo.deleteSessionsOfUser(trx, userId);
        await audit('user.change', userId, { from: { roles: before.split(' '), buyerId: existing.buyer_id }, to: { roles, buyerId } });
      } else if (identity.name && identity.name !== existing.name) {
        await repo.updateUser(trx, userId, { name: identity.name });
      }
    }
    const session = await startSession(trx, userId, policy);
    return { userId, roles, token: session.token };
  });
}
