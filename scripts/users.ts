// npm run users -- add | list | set-role | remove | token   (the usage below)
// Users from the command line: the first admin, and API tokens for scripts.
// The same rules and audit log as the admin API; the actor is "command line".
// Exit code: 0 done, 1 failed (e.g. no such user, the address is taken), 2 usage.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { email as emailSchema, newTokenSchema, newUserSchema, userPatchSchema } from '../src/accounts/accounts.schema.ts';
import { commandLine } from '../src/accounts/audit.ts';
import { issueToken } from '../src/accounts/tokens.service.ts';
import { changeUser, createUser, listUserViews, removeUser, userByEmail } from '../src/accounts/users.service.ts';
import { loadConfigOrExit } from '../src/config.ts';
import { ROLES } from '../src/domain/access.ts';
import { AppError } from '../src/http/errors.ts';

const USAGE = `usage: npm run users -- <command> [options]
  add      --email <address> --role <role> [--role <role>…] [--company <id>] [--buyer <orgnr>] [--name <name>]
  list
  set-role --email <address> --role <role> [--role <role>…] [--company <id>] [--buyer <orgnr>]
  remove   --email <address>
  token    --email <address> --name <what the token is for> [--days <1–730, default 365>]
roles: ${ROLES.join(', ')}; a firm user needs --company, an officer --buyer.
set-role and remove end the user's sessions. token prints the new token once, alone on stdout.`;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** The command line's names for the API's fields, in messages. */
const FLAGS: Record<string, string> = { email: '--email', roles: '--role', companyId: '--company', buyerId: '--buyer', buyerOrgNumber: '--buyer', name: '--name', days: '--days' };
const flagged = (message: string) => message.replace(/^(\w+)(\.\d+)?:/, (_, field: string) => `${FLAGS[field] ?? field}:`);

function parsed<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  usage(flagged(`${issue.path.join('.')}: ${issue.message}`));
}

const COMMANDS = ['add', 'list', 'set-role', 'remove', 'token'] as const;
type Command = (typeof COMMANDS)[number];
/** What each command accepts besides its required options. */
const ALLOWED: Record<Command, string[]> = {
  add: ['email', 'role', 'company', 'buyer', 'name'],
  list: [],
  'set-role': ['email', 'role', 'company', 'buyer'],
  remove: ['email'],
  token: ['email', 'name', 'days'],
};

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' }, role: { type: 'string', multiple: true }, company: { type: 'string' },
      buyer: { type: 'string' }, name: { type: 'string' }, days: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { positionals, values } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const command = positionals[0] as Command | undefined;
if (!command) usage('name a command');
if (!COMMANDS.includes(command)) usage(`unknown command ${command}`);
if (positionals.length > 1) usage(`unexpected ${positionals.slice(1).join(' ')}`);
for (const [option, value] of Object.entries(values)) {
  if (value !== undefined && option !== 'help' && !ALLOWED[command].includes(option)) usage(`${command} takes no --${option}`);
}
const need = (option: 'email' | 'role' | 'name') => {
  if (values[option] === undefined) usage(`${command} needs --${option}`);
};
if (command !== 'list') need('email');
if (command === 'add' || command === 'set-role') need('role');
if (command === 'token') need('name');

const organisation = { companyId: values.company, buyerOrgNumber: values.buyer };
// Check the input before touching the database.
const input =
  command === 'add' ? parsed(newUserSchema, { email: values.email, roles: values.role, name: values.name, ...organisation })
  : command === 'set-role' ? parsed(userPatchSchema, { roles: values.role, ...organisation })
  : command === 'token' ? parsed(newTokenSchema, { name: values.name, days: values.days === undefined ? undefined : Number(values.days) })
  : null;
const address = values.email === undefined ? '' : parsed(emailSchema, values.email);

const config = loadConfigOrExit(2);
const db = openDatabase(config.databaseUrl);
try {
  await migrateToLatest(db);
  switch (command) {
    case 'add': {
      const user = await createUser(db, commandLine, input as z.output<typeof newUserSchema>);
      console.log(`added ${user.email} (${user.roles.join(' ')}${where(user)}); they sign in with a link sent to that address`);
      break;
    }
    case 'list': {
      const users = await listUserViews(db);
      if (users.length === 0) console.log('no users yet: add the first admin with npm run users -- add --email <address> --role admin');
      for (const u of users) console.log([u.email, u.roles.join(' '), where(u).replace(/^, /, '') || '-', u.createdAt.slice(0, 10)].join('\t'));
      break;
    }
    case 'set-role': {
      const user = await userByEmail(db, address);
      const change = await changeUser(db, commandLine, user.id, input as z.output<typeof userPatchSchema>);
      const ended = change.sessionsEnded ? '; their sessions ended' : '; nothing changed';
      const revoked = change.tokensRevoked ? `; ${change.tokensRevoked} API token(s) revoked` : '';
      console.log(`${change.user.email}: ${change.user.roles.join(' ')}${where(change.user)}${ended}${revoked}`);
      break;
    }
    case 'remove': {
      const user = await userByEmail(db, address);
      await removeUser(db, commandLine, user.id);
      console.log(`removed ${user.email}; their sessions and API tokens ended`);
      break;
    }
    case 'token': {
      const user = await userByEmail(db, address);
      const { name, days } = input as z.output<typeof newTokenSchema>;
      const created = await issueToken(db, commandLine, user.id, name, days);
      console.log(created.token);
      console.error(`API token "${created.name}" for ${user.email} (${user.roles.join(' ')}), valid until ${created.expiresAt}.\n` +
        'It is shown only now: send it as "Authorization: Bearer <token>".');
      break;
    }
  }
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  if (error.code === 'validation_failed') usage(flagged(error.message));
  console.error(flagged(error.message));
  process.exitCode = 1;
} finally {
  await db.destroy();
}

function where(u: { companyId: string | null; buyer: { name: string; orgNumber: string | null } | null }): string {
  if (u.buyer) return `, for ${u.buyer.name}${u.buyer.orgNumber ? ` ${u.buyer.orgNumber.slice(0, 6)}-${u.buyer.orgNumber.slice(6)}` : ''}`;
  if (u.companyId) return `, of company ${u.companyId}`;
  return '';
}
