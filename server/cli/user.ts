/**
 * `npm run user -- COMMAND ...`: manages users in the server's database, also while the server
 * runs (SQLite WAL; the server sees removals, password and role changes within a second and closes
 * those users' sessions). Exit status: 0 done, 1 refused or failed, 2 usage error.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isRole, PASSWORD_MAX, PASSWORD_MIN, ROLES, type Role, USERNAME_PATTERN } from '../../protocol';
import { openAuth } from '../auth/authService';
import type { AuditActor, AuthService, UserChange } from '../auth/types';
import { DB_FILE } from '../store/alarmStore';
import { readPasswordStdin, readPasswordTty } from './passwordInput';

const USAGE = `Usage: npm run user -- COMMAND [options]

  add NAME --role ROLE     add a user (password from a prompt, or --password-stdin)
  list                     list users and their roles
  remove NAME              remove a user and close their sessions
  passwd NAME              set a user's password and close their sessions
  role NAME ROLE           change a user's role and close their sessions

Options:
  --data DIR               the server's data directory (env DATA_DIR, default ./data)
  --password-stdin         read the password from standard input (required when it is not a terminal)
  --help                   this text

Roles: ${ROLES.join(', ')}. Names: 1 to 32 letters, digits, '.', '_' or '-'.
Passwords: ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;

/** Who the audit says made the change. */
const CLI_ACTOR: AuditActor = { user: 'cli', role: null, source: 'cli' };

class UsageError extends Error {}

const ARITY: Record<string, number> = { add: 1, list: 0, remove: 1, passwd: 1, role: 2 };

interface Parsed {
  command: string;
  args: string[];
  role?: Role;
  data: string;
  passwordStdin: boolean;
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Parsed | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  const options = {
    data: { type: 'string' },
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, ...args] = positionals;
  if (!command) throw new UsageError('no command given');
  if (!(command in ARITY)) throw new UsageError(`unknown command "${command}"`);
  if (args.length !== ARITY[command])
    throw new UsageError(
      `"${command}" takes ${ARITY[command] === 0 ? 'no arguments' : `${ARITY[command]} argument(s)`}`,
    );
  if (values.role !== undefined && command !== 'add') throw new UsageError('--role is only for "add"');
  if (values['password-stdin'] && command !== 'add' && command !== 'passwd')
    throw new UsageError('--password-stdin is only for "add" and "passwd"');
  if (command !== 'list' && !USERNAME_PATTERN.test(args[0]))
    throw new UsageError(`"${args[0]}" is not a user name (1 to 32 letters, digits, '.', '_' or '-')`);
  const roleText = command === 'add' ? values.role : command === 'role' ? args[1] : undefined;
  if (command === 'add' && roleText === undefined) throw new UsageError('"add" needs --role ROLE');
  if (roleText !== undefined && !isRole(roleText))
    throw new UsageError(`"${roleText}" is not a role (one of ${ROLES.join(', ')})`);
  const data = values.data ?? env.DATA_DIR ?? './data';
  if (data === '') throw new UsageError('--data must not be empty');
  return {
    command,
    args,
    role: roleText as Role | undefined,
    data,
    passwordStdin: values['password-stdin'] === true,
  };
}

/** The new password, from stdin or a prompt asked twice; never echoed. */
async function newPassword(p: Parsed): Promise<string> {
  if (p.passwordStdin) return readPasswordStdin();
  if (!process.stdin.isTTY)
    throw new UsageError('standard input is not a terminal: pass the password with --password-stdin');
  const first = await readPasswordTty(`New password for "${p.args[0]}": `);
  const second = await readPasswordTty('Again: ');
  if (first !== second) throw new Error('the passwords do not match; nothing changed');
  return first;
}

function report(r: UserChange, done: string): number {
  if (r.ok) {
    console.log(done);
    return 0;
  }
  console.error(`Refused (${r.code}): ${r.message}`);
  return 1;
}

async function run(p: Parsed, auth: AuthService): Promise<number> {
  const name = p.args[0];
  // Checked before asking for a password, so nobody types one for nothing (the service checks again).
  const existing =
    name === undefined
      ? undefined
      : auth.listUsers().find((u) => u.name.toLowerCase() === name.toLowerCase());
  if (p.command === 'add' && existing)
    return report({ ok: false, code: 'CONFLICT', message: `user "${existing.name}" already exists` }, '');
  if ((p.command === 'passwd' || p.command === 'remove' || p.command === 'role') && !existing)
    return report({ ok: false, code: 'NOT_FOUND', message: `no user "${name}"` }, '');
  if (p.command === 'role' && existing && existing.role === p.role) {
    console.log(`"${existing.name}" is already ${p.role}; nothing changed.`);
    return 0;
  }
  switch (p.command) {
    case 'list': {
      const users = auth.listUsers();
      if (!users.length) {
        console.log(
          'No users. The server creates "admin" at its first start, or: npm run user -- add NAME --role admin',
        );
        return 0;
      }
      const width = Math.max(4, ...users.map((u) => u.name.length));
      console.log(`${'NAME'.padEnd(width)}  ${'ROLE'.padEnd(8)}  CHANGED`);
      for (const u of users)
        console.log(`${u.name.padEnd(width)}  ${u.role.padEnd(8)}  ${new Date(u.updatedAt).toISOString()}`);
      return 0;
    }
    case 'add': {
      const password = await newPassword(p);
      const role = p.role as Role;
      return report(await auth.addUser(name, role, password, CLI_ACTOR), `Added user "${name}" (${role}).`);
    }
    case 'remove':
      return report(auth.removeUser(name, CLI_ACTOR), `Removed user "${name}"; their sessions are closed.`);
    case 'passwd': {
      const password = await newPassword(p);
      return report(
        await auth.setPassword(name, password, CLI_ACTOR),
        `Changed the password of "${name}"; their sessions are closed.`,
      );
    }
    case 'role': {
      const role = p.role as Role;
      return report(
        auth.setRole(name, role, CLI_ACTOR),
        `"${name}" is now ${role}; their sessions are closed.`,
      );
    }
  }
  throw new UsageError(`unknown command "${p.command}"`);
}

async function main(): Promise<number> {
  let p: Parsed | 'help';
  try {
    p = parse(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (p === 'help') {
    console.log(USAGE);
    return 0;
  }
  // Only `add` may start a database (users made before the first start); anything else on a
  // directory without one is most likely a wrong --data, and must not leave an empty database there.
  if (p.command !== 'add' && !existsSync(join(p.data, DB_FILE))) {
    console.error(
      `Error: no database in ${p.data} (is --data right? The server creates it at its first start.)`,
    );
    return 1;
  }
  let auth: AuthService;
  try {
    auth = openAuth({ dataDir: p.data });
  } catch (err) {
    console.error(`Error: ${(err as Error).message}`);
    return 1;
  }
  try {
    return await run(p, auth);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`Error: ${(err as Error).message}`);
    return 1;
  } finally {
    auth.close();
  }
}

process.exitCode = await main();
