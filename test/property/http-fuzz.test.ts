// Property-based fuzzing of every JSON endpoint over real HTTP (issue 12,
// "hostile input"): for each route the application registered that takes a
// JSON body, valid example bodies mutated (fields dropped, replaced or
// duplicated with unicode, huge numbers, NaN-like strings, deep nesting, long
// strings, arrays over the documented limits) and random JSON are sent as
// admin, so authorisation never hides a validation path. Properties:
//   - never a 5xx;
//   - a 4xx has the shape { error: { code, message, details } }, and a 400
//     validation_failed names a field in each of its details;
//   - a refused request stores nothing (row counts before and after).
// GET routes take no body; GET /api/search and GET /api/companies/:id/matches
// get random query strings instead. POST /api/import (files, not JSON) is the
// import formats' own fuzzing. The seed is fixed (FUZZ_SEED overrides it) and
// printed on failure; FUZZ_RUNS changes the number of runs per route.
import { expect } from 'chai';
import fc from 'fast-check';
import { addUser } from '../../src/accounts/accounts.service.ts';
import { startSession } from '../../src/accounts/sessions.service.ts';
import { fieldPath } from '../../src/http/errors.ts';
import type { RouteInfo } from '../../src/http/secured-router.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 1_441_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const COUNTED = ['notices', 'companies', 'subscriptions', 'users', 'outbox'] as const;

// ---------------------------------------------------------------------------
// Raw JSON: what JSON.stringify cannot write (1e999, 10,000-deep nesting) is
// put in as a marker string and spliced into the text afterwards.
const RAW = (text: string) => `@@RAW:${text}@@`;
const serialise = (value: unknown) => (JSON.stringify(value) ?? 'null').replace(/"@@RAW:(.*?)@@"/g, '$1');
const deep = (depth: number, open: string, close: string, inner = '1') => RAW(open.repeat(depth) + inner + close.repeat(depth));

/** Values that have hurt parsers and schemas somewhere. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    'NaN', 'Infinity', '-Infinity', '-0', '1e999', '0x1F', '', ' ', '\u0000', '\u202eevil', '\ud800', 'null', 'undefined',
    '__proto__', 'constructor', '%', '%E0%A4%A', '💥🇸🇪', 'a\nb\r\nc\t', '45214200-2', '212000-1447', '2026-02-30', '9999-12-31T23:59:59Z',
  ),
  fc.constantFrom(RAW('1e999'), RAW('-1e999'), RAW('1e-999'), RAW('123456789012345678901234567890'), RAW('-0')),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER * 4, 1e308, -1e308, 5e-324, 0.5, -1),
  fc.integer({ min: 50, max: 20_000 }).chain((d) => fc.constantFrom(deep(d, '[', ']'), deep(d, '{"a":', '}'))),
  fc.integer({ min: 1_000, max: 150_000 }).chain((n) => fc.constantFrom('å'.repeat(n), 'x'.repeat(n), '🇸🇪'.repeat(n / 4))),
  fc.integer({ min: 21, max: 1_200 }).chain((n) => fc.constantFrom(
    Array.from({ length: n }, () => '45214200'),
    Array.from({ length: n }, (_, i) => `code-${i}`),
    Array.from({ length: n }, (_, i) => ({ id: `LOT-${i}`, title: 'x' })),
  )),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, false, {}, [], [[]], { __proto__: null }),
);

const keyName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'id', 'source'), fc.string({ maxLength: 20 }));

type Op = { op: 'drop' | 'replace' | 'duplicate' | 'add'; at: number; value: unknown; key: string; times: number };
const mutation: fc.Arbitrary<Op> = fc.record({
  op: fc.constantFrom('drop', 'replace', 'duplicate', 'add'),
  at: fc.nat(),
  value: hostile,
  key: keyName,
  times: fc.integer({ min: 2, max: 1_200 }),
});

type Container = Record<string, unknown> | unknown[];
/** Every place in a value: the container and the key, the root as [undefined, undefined]. */
function places(value: unknown, out: [Container, string | number][] = []): [Container, string | number][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Container, Array.isArray(value) ? Number(k) : k]);
      places(v, out);
    }
  }
  return out;
}

function mutate(example: unknown, ops: Op[]): unknown {
  let root: unknown = structuredClone(example);
  for (const { op, at, value: shared, key, times } of ops) {
    const value = structuredClone(shared); // constants are shared between runs: never changed in place
    const all = places(root);
    if (all.length === 0) { root = op === 'drop' ? undefined : value; continue; }
    const [parent, k] = all[at % all.length];
    const p = parent as Record<string | number, unknown>;
    const current = p[k];
    if (op === 'drop') {
      if (Array.isArray(parent)) parent.splice(k as number, 1);
      else delete p[k];
    } else if (op === 'replace') {
      p[k] = value;
    } else if (op === 'duplicate') {
      // Over the limits: a list repeated past its maximum, a text far past its length, an object twice.
      if (Array.isArray(current)) p[k] = Array.from({ length: times }, (_, i) => current[i % Math.max(current.length, 1)] ?? value);
      else if (typeof current === 'string') p[k] = current.repeat(Math.ceil(times * 60 / Math.max(current.length, 1)));
      else if (typeof current === 'number') p[k] = current * 1e300;
      else p[k] = [current, current];
    } else if (current && typeof current === 'object') {
      if (Array.isArray(current)) current.push(value);
      else Object.defineProperty(current, key, { value, enumerable: true, writable: true, configurable: true });
    } else if (Array.isArray(parent)) {
      parent.push(value);
    } else {
      Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

// ---------------------------------------------------------------------------
// Valid examples, one per route that takes a body.
let seq = 0;
const unique = () => `${Date.now().toString(36)}-${seq++}`;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

const notice = () => ({
  reference: `KS 2026/${unique()}`,
  kind: 'tender',
  title: 'Städning av förskolor i Lerum',
  description: 'Lokalvård\nmed miljökrav',
  language: 'sv',
  buyer: { name: 'Lerums kommun', orgNumber: '212000-1447', nuts: 'SE232' },
  cpv: { main: '90911200', additional: ['90919200-4'] },
  lots: [
    { id: 'LOT-0001', title: 'Norr', cpv: { main: '90911200', additional: [] }, estimatedValue: { amount: 1_200_000, currency: 'SEK' } },
    { id: 'LOT-0002', title: 'Söder', cpv: null, estimatedValue: null },
  ],
  estimatedValue: { amount: 2_400_000, currency: 'SEK' },
  publishedAt: '2026-11-30',
  deadline: inDays(30),
  procedure: 'open',
  placeOfPerformance: { nuts: ['SE232'], postalCode: '443 30', town: 'Lerum' },
  criteria: {
    strategic: ['env-imp', 'soc-obj'], social: ['work-cond'], green: ['circ-econ'], gpp: ['eu'], reserved: [], smeSuitable: true,
    requirements: ['iso-14001', 'collective-agreement'],
  },
  awards: [{ lotId: 'LOT-0001', winner: { name: 'Städ AB', orgNumber: '556016-0680', size: 'small', nuts: 'SE232', postalCode: '44330' }, value: { amount: 1, currency: 'SEK' }, tendersReceived: 3 }],
  links: { documents: 'https://www.lerum.se/upphandling/42', submission: null, source: null },
});

const company = () => ({
  orgNumber: nextOrgNumber(), soleTrader: false, name: 'Fuzz Städ AB', email: `fuzz-${unique()}@firma.example`,
  municipalityCode: '1441', language: 'sv', categories: ['90910000', '90911200'], csr: ['iso-14001', { capability: 'collective-agreement', validUntil: '2027-06-30' }],
});

const subscription = () => ({
  name: 'Städ i Lerum', cpv: ['90911200'], frequency: 'daily', reminderDays: 5, includeParent: true, keywords: 'städ "fönster puts" -bygg',
  regions: ['local', 'SE232', '1441'], minValue: 1000, maxValue: 5_000_000, kinds: ['tender'], procedures: ['open'], onlyCsr: false, strict: false,
});

const EXAMPLES: Record<string, () => unknown> = {
  'POST /api/notices': notice,
  'POST /api/notices/preview': notice,
  'PATCH /api/notices/:id': () => ({ title: 'Ny titel', deadline: inDays(40), criteria: { requirements: ['iso-14001'] }, lots: [] }),
  'POST /api/notices/:id/withdraw': () => ({ reason: 'Upphandlingen avbryts' }),
  'POST /api/companies': company,
  'PATCH /api/companies/:id': () => ({ name: 'Fuzz Städ AB', categories: ['90911200'], csr: ['iso-14001'], language: 'en' }),
  'POST /api/companies/:id/subscriptions': subscription,
  'PATCH /api/companies/:id/subscriptions/:sid': () => ({ name: 'Nytt namn', keywords: 'fönster', regions: ['SE23'], minValue: 10 }),
  'POST /api/companies/:id/users': () => ({ email: `kollega-${unique()}@firma.example`, name: 'Kollega', owner: false }),
  'POST /api/admin/users': () => ({ email: `user-${unique()}@brygga.example`, roles: ['officer'], name: 'Handläggare', buyerOrgNumber: '212000-1447' }),
  'PATCH /api/admin/users/:id': () => ({ roles: ['staff'], name: 'Ny roll' }),
  'POST /api/admin/buyers': () => ({ name: 'Partille kommun', orgNumber: '212000-1363', nuts: 'SE232' }),
  'POST /api/me/tokens': () => ({ name: 'ci', days: 30 }),
};

// ---------------------------------------------------------------------------

type World = { company: string; subscription: string; notice: string; withdrawable: string; user: string; sessionCookie: string };

/** A path parameter: a real id of the right kind, or a random string (encoded, or raw and possibly malformed). */
const param = (real: string) => fc.oneof(
  { weight: 3, arbitrary: fc.constant(real) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => encodeURIComponent(s) || 'x') },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e', '01NOSUCHTHING0000000000000', 'x'.repeat(3000), '%00', '%25') },
);

function pathOf(route: RouteInfo, w: World): fc.Arbitrary<string> {
  const id = route.path.startsWith('/api/notices/:id/withdraw') ? w.withdrawable
    : route.path.startsWith('/api/notices') ? w.notice
      : route.path.startsWith('/api/admin/users') ? w.user
        : w.company;
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const real: Record<string, string> = { id, sid: w.subscription, companyId: w.company, uid: w.user, token: 'not-a-token' };
  return fc.tuple(...names.map((n) => param(real[n] ?? 'x'))).map((values) => {
    let i = 0;
    return route.path.replace(/:(\w+)/g, () => values[i++]);
  });
}

const SEARCH_KEYS = ['q', 'cpv', 'buyer', 'region', 'procedure', 'kind', 'status', 'csr', 'deadlineFrom', 'deadlineTo',
  'publishedFrom', 'publishedTo', 'valueMin', 'valueMax', 'sort', 'page', 'pageSize'];
const queryValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('NaN', '1e999', '-1', '0', '99999999999999999999', '45', '45214200-2,90911200', 'local', 'SE232', 'tender', 'open', 'closed', 'all',
    '2026-02-30', '"', '\'', '*', 'OR', 'NEAR(', '-', '^', '"städ', 'städ*', '212000-1447', ',,,,'),
  // Longer than a parameter may be (2,000), within Node's 16 KB for the request line and headers (beyond it Node answers 431 itself).
  fc.integer({ min: 1, max: 2_600 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 1_000 }).map((n) => 'ö'.repeat(n)),
  fc.integer({ min: 21, max: 300 }).map((n) => Array.from({ length: n }, () => '45').join(',')),
);
const QUERY_BYTES = 12_000;
/** A query string: known and unknown keys, repeated keys, values encoded, and now and then raw bytes that are not valid %-escapes. */
const queryString = (keys: string[]) => fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), queryValue), { maxLength: 8 })
    .map((pairs) => new URLSearchParams(pairs).toString().slice(0, QUERY_BYTES)) },
  { weight: 1, arbitrary: fc.constantFrom('q=%', 'q=%zz&cpv=%E0%A4%A', 'cpv[]=45&cpv[x]=1', 'page[$gt]=1', 'q[a][b][c]=1', '&&&=&=', 'status=open&status=open&status[0]=x') },
  { weight: 1, arbitrary: fc.integer({ min: 21, max: 200 }).map((n) => Array.from({ length: n }, () => 'cpv=45').join('&')) },
);

type Body = { kind: 'mutated' | 'json' | 'text'; text: string };
function bodyOf(key: string): fc.Arbitrary<Body> {
  const example = EXAMPLES[key];
  const random: fc.Arbitrary<Body> = fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'json' as const, text: JSON.stringify(v) ?? 'null' })) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{', '{"a":1,}', 'NaN', '[1e999]', '\ufeff{}', '{"__proto__":{"admin":true}}', '"\\ud800"'))
      .map((text) => ({ kind: 'text' as const, text })) },
  );
  if (!example) return random;
  const mutated = fc.tuple(fc.constant(null).map(() => example()), fc.array(mutation, { minLength: 0, maxLength: 3 }))
    .map(([valid, ops]) => ({ kind: 'mutated' as const, text: serialise(mutate(valid, ops)) }));
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: random });
}

describe('fuzzing every JSON endpoint over HTTP (fast-check)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let w: World;
  /** Answers by route and status, printed with FUZZ_VERBOSE=1. */
  const tallies = new Map<string, number>();

  before(async () => {
    t = await startTestApp({
      WORKERS: 'off', RATE_LIMIT_REGISTER_PER_ADDRESS: '100000/1h', RATE_LIMIT_REGISTER_PER_CLIENT: '100000/1h',
      RATE_LIMIT_SIGNIN_PER_ADDRESS: '100000/1h', RATE_LIMIT_SIGNIN_PER_CLIENT: '100000/1h', RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: '100000/1h',
    });
    const firm = await api(t.app, 'POST', '/api/companies', company());
    expect(firm.status, JSON.stringify(firm.body)).to.equal(201);
    const published = await api(t.app, 'POST', '/api/notices', notice());
    const withdrawable = await api(t.app, 'POST', '/api/notices', notice());
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    const user = await addUser(t.app.db, { email: `target-${unique()}@brygga.example`, roles: ['officer'] });
    w = {
      company: firm.body.id, subscription: firm.body.subscriptions[0].id, notice: published.body.notice.id,
      withdrawable: withdrawable.body.notice.id, user, sessionCookie: '',
    };
  });
  after(async () => t?.stop());

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of COUNTED) {
      const row = await t.app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  }

  /** One request as admin; the properties every answer must have. Returns a problem, or null. */
  async function check(method: string, path: string, body: string | undefined, { json = true } = {}): Promise<string | null> {
    const before = await counts();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (path === '/api/me/tokens') Object.assign(headers, { cookie: `brygga_session=${w.sessionCookie}`, origin: t.app.url });
    else headers.authorization = `Bearer ${t.app.adminToken}`;
    const response = await fetch(`${t.app.url}${path}`, { method, headers, body });
    const text = await response.text();
    const status = response.status;
    const tally = `${method} ${path.split('?')[0].replace(/\/[0-9A-Z]{26}/g, '/:id')} ${status}`;
    tallies.set(tally, (tallies.get(tally) ?? 0) + 1);
    const what = `${method} ${path.slice(0, 200)} → ${status} ${text.slice(0, 300)}`;
    if (status >= 500) return `a ${status}: ${what}`;
    if (status < 400) return null;
    const stored = async () => {
      const after = await counts();
      const changed = COUNTED.filter((table) => after[table] !== before[table]);
      return changed.length ? `refused but stored (${changed.map((c) => `${c} ${before[c]}→${after[c]}`).join(', ')}): ${what}` : null;
    };
    if (!json) return stored();
    let parsed: { error?: { code?: unknown; message?: unknown; details?: unknown } };
    try { parsed = JSON.parse(text); } catch { return `a ${status} that is not JSON: ${what}`; }
    const error = parsed?.error;
    if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || !('details' in error)) return `not the error shape: ${what}`;
    if (status === 400 && error.code === 'validation_failed') {
      const details = error.details as { path?: unknown; message?: unknown }[];
      if (!Array.isArray(details) || details.length === 0) return `validation details name no field: ${what}`;
      for (const d of details) {
        if (typeof d?.path !== 'string' || d.path === '' || typeof d.message !== 'string' || d.message === '') return `a detail without a field or message: ${what}`;
      }
    }
    return stored();
  }

  // Found by this fuzzing: a PATCH naming the field "" was refused with a detail whose path was empty.
  it('a field whose name is the empty string is named "" in details, never left blank or taken for the body', async () => {
    for (const path of [`/api/companies/${w.company}`, `/api/companies/${w.company}/subscriptions/${w.subscription}`]) {
      const res = await api(t.app, 'PATCH', path, { '': 1 });
      expect(res.status, path).to.equal(400);
      expect(res.body.error.details, path).to.deep.equal([{ path: '""', message: 'not a field that can be changed here' }]);
    }
    expect(fieldPath(['lots', 0, ''])).to.equal('lots.0.""');
    expect(fieldPath([])).to.equal('(body)');
  });

  it(`never a 5xx, always the error shape, nothing stored when refused (seed ${SEED}, ${RUNS} runs per route)`, async () => {
    const routes = t.app.routes.filter((r) => r.method !== 'delete' && r.method.toUpperCase() !== 'DELETE');
    const failures: string[] = [];
    let tried = 0;
    for (const route of routes) {
      const method = route.method.toUpperCase();
      const key = `${method} ${route.path}`;
      let property: fc.IAsyncProperty<[string, Body | string]> | null = null;
      if (method === 'GET' && (route.path === '/api/search' || route.path === '/api/companies/:id/matches')) {
        const keys = route.path === '/api/search' ? SEARCH_KEYS : ['status', 'page', 'pageSize'];
        property = fc.asyncProperty(pathOf(route, w), queryString(keys), async (path, query) => {
          const problem = await check('GET', `${path}?${query}`, undefined);
          if (problem) throw new Error(problem);
        });
      } else if ((method === 'POST' || method === 'PATCH' || method === 'PUT') && route.path !== '/api/import') {
        property = fc.asyncProperty(pathOf(route, w), bodyOf(key), async (path, body) => {
          // Pages' forms (/login, /confirm, …) answer people with pages: for them no 5xx and nothing stored.
          const problem = await check(method, path, (body as Body).text, { json: route.path.startsWith('/api/') });
          if (problem) throw new Error(problem);
        });
      }
      if (!property) continue;
      tried++;
      // POST /api/me/tokens needs a session: the admin's own, from Brygga's own pages (made afresh: POST /logout/everywhere ends it).
      const admin = await t.app.db.selectFrom('users').select('id').where('email', '=', 'admin@brygga.test').executeTakeFirstOrThrow();
      w.sessionCookie = (await startSession(t.app.db, admin.id, t.app.config.sessions)).token;
      const result = await fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
      if (result.failed) {
        failures.push(`${key} (seed ${SEED}, path ${result.counterexamplePath}): ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
      }
    }
    if (process.env.FUZZ_VERBOSE) console.log([...tallies].sort().map(([k, n]) => `${n}\t${k}`).join('\n'));
    expect(tried, 'routes fuzzed').to.be.greaterThan(15);
    expect(failures, `fast-check seed ${SEED}`).to.deep.equal([]);
  });
});
