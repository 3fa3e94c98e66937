// Rate limits, counted in Redis so every Brygga process shares them: sign-in
// links asked for per address and per client, registrations per address and
// per client, and failed bearer tokens per client. Past a limit: 429 with
// Retry-After. A client is its IP address as `trust proxy` lets Express see it
// (IPv6 by /56, so one host cannot step through its own addresses); an e-mail
// address is counted by its SHA-256, so Redis holds no addresses.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Config, RateLimit } from '../config.ts';
import { has } from '../domain/access.ts';
import { AppError } from './errors.ts';
import { principalOf } from './secured-router.ts';

export type Limits = {
  /** For POST /login, after its body is read: per client, then per address. */
  signin: RequestHandler[];
  /** For POST /api/companies, after its body is read (an admin is not counted). */
  registration: RequestHandler[];
  /** Wraps the authentication middleware: counts bearer tokens it refuses, and refuses a client past the limit before looking at its token. */
  bearerAttempts(authenticate: RequestHandler): RequestHandler;
};

type Key = (req: Request, res: Response) => string | null;

/** The client: its IP address (an IPv6 /56). */
export const clientKey: Key = (req) => ipKeyGenerator(req.ip ?? 'unknown');

/** The e-mail address in the body, normalised and hashed; null when there is none (validation refuses it later). */
export const addressKey: Key = (req) => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || !email.trim()) return null;
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
};

const secondsUntil = (reset: Date | undefined, windowMs: number) =>
  Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));

function tooMany(seconds: number): AppError {
  return new AppError(429, 'rate_limited', `Too many requests: try again in ${seconds} s`, { retryAfter: seconds });
}

export function rateLimits(redis: Redis, config: Pick<Config, 'queuePrefix' | 'rateLimits'>, log: Logger): Limits {
  const logger = {
    error: (error: unknown, message?: string) => log.warn({ err: (error as Error)?.message ?? String(error) }, message ?? 'rate limit'),
    warn: (error: unknown, message?: string) => log.warn({ err: (error as Error)?.message ?? String(error) }, message ?? 'rate limit'),
  };
  const limiter = (name: string, rule: RateLimit, key: Key, options: { skip?: (req: Request, res: Response) => boolean; failOpen?: boolean } = {}) =>
    rateLimit({
      windowMs: rule.windowMs,
      limit: rule.limit,
      store: new RedisStore({
        prefix: `${config.queuePrefix}:ratelimit:${name}:`,
        sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      }),
      keyGenerator: (req, res) => key(req, res) ?? '',
      skip: (req, res) => key(req, res) === null || (options.skip?.(req, res) ?? false),
      // Retry-After alone: the remaining count of an address is nobody's business.
      standardHeaders: false,
      legacyHeaders: false,
      handler: (req, res, next) => {
        const seconds = secondsUntil((req as AugmentedRequest).rateLimit?.resetTime, rule.windowMs);
        res.setHeader('Retry-After', String(seconds));
        next(tooMany(seconds));
      },
      // Without Redis the sign-in and registration limits refuse (fail closed); failed-token counting lets requests through.
      passOnStoreError: options.failOpen ?? false,
      logger,
    });

  const { rateLimits: r } = config;
  const byAdmin = (_req: Request, res: Response) => has(principalOf(res), 'admin');
  const tokenFailures: RateLimitRequestHandler = limiter('token-failures', r.tokenFailuresPerClient, clientKey, { failOpen: true });

  return {
    signin: [limiter('signin-client', r.signinPerClient, clientKey), limiter('signin-address', r.signinPerAddress, addressKey)],
    registration: [
      limiter('register-client', r.registerPerClient, clientKey, { skip: byAdmin }),
      limiter('register-address', r.registerPerAddress, addressKey, { skip: byAdmin }),
    ],
    bearerAttempts: (authenticate) => async (req, res, next) => {
      if (!/^Bearer\s/i.test(req.headers.authorization ?? '')) return authenticate(req, res, next);
      try {
        // Redis slow or gone: a bearer request is not held up waiting for it (fail open, briefly).
        const seen = await withTimeout(tokenFailures.getKey(clientKey(req, res)!), 250);
        if (seen && seen.totalHits >= r.tokenFailuresPerClient.limit) {
          const seconds = secondsUntil(seen.resetTime, r.tokenFailuresPerClient.windowMs);
          res.setHeader('Retry-After', String(seconds));
          return next(tooMany(seconds));
        }
      } catch (error) {
        logger.error(error, 'failed-token count unavailable; not limiting');
      }
      let counting: Promise<void> | undefined;
      await authenticate(req, res, (error?: unknown) => {
        // A refused token counts; past the limit this very answer is already a 429.
        if (error instanceof AppError && error.code === 'invalid_token') {
          counting = tokenFailures(req, res, (limited?: unknown) => next(limited ?? error)) as Promise<void>;
          return;
        }
        next(error);
      });
      await counting;
    },
  };
}

function withTimeout<T>(promise: Promise<T> | T, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.resolve(promise),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
