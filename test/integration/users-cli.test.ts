// `npm run users`: the real command against a temporary database. The first
// admin, officers of a buyer, role changes that end sessions, removal, API
// tokens for scripts, and clear errors with exit codes (2 usage, 1 failure).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { pino } from 'pino';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { findUserByEmail, listAudit } from '../../src/accounts/accounts.repo.ts';
import { insertBuyer } from '../../src/accounts/organisations.repo.ts';
import { sessionPrincipal, startSession, tokenPrincipal } from '../../src/accounts/sessions.service.ts';
import { demoSignIns, seedDemoIfEmpty } from '../../src/demo/seed.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

const root = new URL('../..', import.meta.url).pathname;
const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
const policy = { idleMinutes: 60, maxHours: 12 };

describe('npm run users', function () {
  this.timeout(60_000);
  let dir: string;
  let db: Db;
  let database: TestDatabase;

  /** The command as `npm run users -- …` runs it, in a folder without a .env, on the test's database. */
  function users(...args: string[]) {
    const run = spawnSync(process.execPath, ['--import', tsx, join(root, 'scripts/users.ts'), ...args], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-users-'));
    database = await testDatabase(dir);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says how to add the first admin, and adds them', async () => {
    const empty = users('list');
    expect(empty.code, empty.stderr).to.equal(0);
    expect(empty.stdout).to.include('no users yet').and.include('--role admin');

    const added = users('add', '--email', 'Admin@Lerum.example', '--role', 'admin', '--role', 'staff', '--name', 'Första Admin');
    expect(added.code, added.stderr).to.equal(0);
    expect(added.stdout).to.include('added admin@lerum.example (admin staff)');

    db = openDatabase(database.url); // migrated by the command
    const row = await findUserByEmail(db, 'admin@lerum.example');
    expect(row).to.include({ roles: 'admin staff', name: 'Första Admin' });
    const [entry] = await listAudit(db, 1);
    expect(entry).to.include({ action: 'user.add', object_id: row!.id, user_id: null, ip: null });
    expect(JSON.parse(entry.details)).to.include({ via: 'command line', email: 'admin@lerum.example' });
  });

  it('adds an officer of an existing buyer, and refuses what it cannot do (exit 1)', async () => {
    const unknown = users('add', '--email', 'upphandlare@lerum.example', '--role', 'officer', '--buyer', '212000-1447');
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include('--buyer: no buyer organisation has this organisationsnummer');

    await insertBuyer(db, { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' });
    const added = users('add', '--email', 'upphandlare@lerum.example', '--role', 'officer', '--buyer', '212000-1447');
    expect(added.code, added.stderr).to.equal(0);
    expect(added.stdout).to.include('(officer, for Lerums kommun 212000-1447)');

    const again = users('add', '--email', 'UPPHANDLARE@lerum.example', '--role', 'staff');
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('a user with this address exists');
    const company = users('add', '--email', 'firma@lerum.example', '--role', 'firm', '--company', '01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(company.code).to.equal(1);
    expect(company.stderr).to.include('--company: no company has this id');
  });

  it('lists users with roles and organisation', () => {
    const listed = users('list');
    expect(listed.code, listed.stderr).to.equal(0);
    const lines = listed.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines.map((l) => l.slice(0, 3))).to.deep.equal([
      ['admin@lerum.example', 'admin staff', '-'],
      ['upphandlare@lerum.example', 'officer', 'for Lerums kommun 212000-1447'],
    ]);
  });

  it('set-role changes roles and ends the user’s sessions', async () => {
    const officer = (await findUserByEmail(db, 'upphandlare@lerum.example'))!;
    const { token } = await startSession(db, officer.id, policy);
    expect(await sessionPrincipal(db, token, policy)).to.not.equal(null);

    const changed = users('set-role', '--email', 'upphandlare@lerum.example', '--role', 'officer', '--role', 'staff');
    expect(changed.code, changed.stderr).to.equal(0);
    expect(changed.stdout).to.include('upphandlare@lerum.example: officer staff, for Lerums kommun').and.include('sessions ended');
    expect(await sessionPrincipal(db, token, policy)).to.equal(null);
    expect((await findUserByEmail(db, 'upphandlare@lerum.example'))!.roles).to.equal('officer staff');

    const [entry] = await listAudit(db, 1);
    expect(entry).to.include({ action: 'user.change', object_id: officer.id });
    expect(JSON.parse(entry.details).roles).to.deep.equal({ from: ['officer'], to: ['officer', 'staff'] });

    const lastAdmin = users('set-role', '--email', 'admin@lerum.example', '--role', 'staff');
    expect(lastAdmin.code).to.equal(1);
    expect(lastAdmin.stderr).to.include('last administrator');
    const nobody = users('set-role', '--email', 'nobody@lerum.example', '--role', 'staff');
    expect(nobody.code).to.equal(1);
    expect(nobody.stderr).to.include('No user has the address nobody@lerum.example');
  });

  it('token prints a new API token, alone on stdout, that acts as the user', async () => {
    const made = users('token', '--email', 'upphandlare@lerum.example', '--name', 'e-avrop', '--days', '30');
    expect(made.code, made.stderr).to.equal(0);
    const token = made.stdout.trim();
    expect(token).to.match(/^[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    expect(made.stderr).to.include('shown only now').and.include('Authorization: Bearer');
    const principal = await tokenPrincipal(db, token);
    expect(principal).to.include({ email: 'upphandlare@lerum.example', via: 'token' });
    expect([...principal!.roles]).to.deep.equal(['officer', 'staff']);
    expect(principal!.buyerId).to.be.a('string');
    const [entry] = await listAudit(db, 1);
    expect(entry).to.include({ action: 'token.create', object_id: token.split('.')[0] });
    expect(entry.details).not.to.include(token.split('.')[1]);
  });

  it('remove takes the user away with their sessions and tokens, but never the last admin', async () => {
    const officer = (await findUserByEmail(db, 'upphandlare@lerum.example'))!;
    const { token } = await startSession(db, officer.id, policy);
    const removed = users('remove', '--email', 'upphandlare@lerum.example');
    expect(removed.code, removed.stderr).to.equal(0);
    expect(removed.stdout).to.include('removed upphandlare@lerum.example');
    expect(await sessionPrincipal(db, token, policy)).to.equal(null);
    expect(await findUserByEmail(db, 'upphandlare@lerum.example')).to.equal(undefined);
    expect(users('list').stdout).not.to.include('upphandlare@');

    expect(users('remove', '--email', 'upphandlare@lerum.example').code).to.equal(1);
    const last = users('remove', '--email', 'admin@lerum.example');
    expect(last.code).to.equal(1);
    expect(last.stderr).to.include('last administrator');
  });

  it('answers a wrong command line with what is wrong, the usage and exit code 2, touching nothing', () => {
    const cases: [string[], string][] = [
      [[], 'name a command'],
      [['promote'], 'unknown command promote'],
      [['add', '--role', 'admin'], 'add needs --email'],
      [['add', '--email', 'x@lerum.example'], 'add needs --role'],
      [['add', '--email', 'x@lerum.example', '--role', 'boss'], '--role: a role: one of firm, officer, staff, admin'],
      [['add', '--email', 'not-an-address', '--role', 'staff'], '--email: an e-mail address'],
      [['add', '--email', 'x@lerum.example', '--role', 'officer'], '--buyer: an officer needs the buyer organisation it acts for'],
      [['add', '--email', 'x@lerum.example', '--role', 'officer', '--buyer', '212000-1448'], 'invalid check digit'],
      [['add', '--email', 'x@lerum.example', '--role', 'staff', '--colour', 'blue'], "Unknown option '--colour'"],
      [['list', 'everyone'], 'unexpected everyone'],
      [['remove', '--email', 'x@lerum.example', '--role', 'staff'], 'remove takes no --role'],
      [['token', '--email', 'admin@lerum.example'], 'token needs --name'],
      [['token', '--email', 'admin@lerum.example', '--name', 'x', '--days', 'many'], '--days:'],
      [['token', '--email', 'admin@lerum.example', '--name', 'x', '--days', '9999'], '--days:'],
    ];
    for (const [args, message] of cases) {
      const run = users(...args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).to.equal(2);
      expect(run.stderr, args.join(' ')).to.include(message).and.include('usage: npm run users -- <command>');
      expect(run.stdout, args.join(' ')).to.equal('');
    }
    expect(users('list').stdout.trim().split('\n')).to.have.length(1); // only the admin: nothing was added
  });
});

describe('the demo users', function () {
  this.timeout(60_000);

  it('are one of each role, with .example addresses, and the firm user belongs to a demo firm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brygga-demo-users-'));
    const database = await testDatabase(dir);
    const db = openDatabase(database.url);
    try {
      await migrateToLatest(db);
      expect(await demoSignIns(db)).to.deep.equal([]);
      expect(await seedDemoIfEmpty({ db, log: pino({ level: 'silent' }) })).to.equal(true);
      const demo = await demoSignIns(db);
      expect(demo.map((u) => u.role)).to.deep.equal(['admin', 'staff', 'officer', 'firm']);
      for (const u of demo) expect(u.email).to.match(/\.example$/);
      expect(demo[2]).to.include({ email: 'upphandlare@lerum.example', of: 'Lerums kommun' });
      expect(demo[3]).to.include({ of: 'Lerums Bygg & Renovering AB' });

      const officer = (await findUserByEmail(db, 'upphandlare@lerum.example'))!;
      const buyer = await db.selectFrom('buyers').select('org_number').where('id', '=', officer.buyer_id!).executeTakeFirst();
      expect(buyer?.org_number).to.equal('2120001447');
      const firm = (await findUserByEmail(db, demo[3].email))!;
      expect(firm.roles).to.equal('firm');
      expect(firm.company_id).to.be.a('string');
      expect(firm.is_owner).to.equal(1);
    } finally {
      await db.destroy();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
