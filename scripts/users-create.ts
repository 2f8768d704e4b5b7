/**
 * npm run users:create -- --role steward [--username NAME] [--wiki enwiki] [--generate | --password-stdin]
 *
 * Creates an account through the audited service layer (works while the server runs: it connects to the
 * server's socket on the embedded default). Without --generate / --password-stdin it asks for the password
 * on the terminal (not echoed).
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { ROLES, type RoleName } from '../lib/auth/permissions';
import { createUser } from '../lib/services/user-create';
import { flag, option, runTool } from './cli';

const args = process.argv.slice(2);
const USAGE = `usage: npm run users:create -- --role <${ROLES.join('|')}> [--username NAME] [--wiki WIKI|*] [--generate | --password-stdin] [--reason TEXT]`;

async function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const out = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output: out, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question(question, resolve));
  muted = hidden;
  const value = await answer;
  rl.close();
  if (hidden) process.stdout.write('\n');
  return value;
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

await runTool('users:create', async () => {
  const role = option(args, 'role') as RoleName | undefined;
  if (!role || !ROLES.includes(role)) {
    console.error(USAGE);
    return 2;
  }
  const wiki = option(args, 'wiki') ?? '*';
  const tty = process.stdin.isTTY === true;
  let username = option(args, 'username');
  if (!username) {
    if (!tty) {
      console.error(`--username is required when not on a terminal\n${USAGE}`);
      return 2;
    }
    username = (await ask('Username: ', false)).trim();
  }
  let password: string | undefined;
  if (flag(args, 'password-stdin')) password = await readStdinLine();
  else if (!flag(args, 'generate')) {
    if (!tty) {
      console.error(`Use --generate or --password-stdin when not on a terminal\n${USAGE}`);
      return 2;
    }
    password = await ask('Password (12+ characters): ', true);
    if ((await ask('Repeat password: ', true)) !== password) {
      console.error('The passwords do not match.');
      return 2;
    }
  }
  const user = await createUser(
    { actor: { kind: 'system', name: 'cli:users:create' }, request: { via: 'cli' } },
    { username, password, roles: [{ role, wiki }], reason: option(args, 'reason') ?? 'created with npm run users:create' },
  );
  console.log(`Created ${user.username} (${role} on ${wiki === '*' ? 'all wikis' : wiki}), id ${user.id}.`);
  if (user.generatedPassword) console.log(`Password (shown once): ${user.generatedPassword}`);
  return 0;
});
