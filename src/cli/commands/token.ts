/** lcctl token create|list|delete (join tokens, as kubeadm/k3s token) and token rotate --admin. */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { resolveConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { parseDuration } from '../output/durations.js';
import { joinTokenTable, replaceConfigToken, type JoinTokenRow } from '../credentials/tables.js';

const base = '/apis/lantern.dev/v1';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'token',
  usage: 'token create [--ttl 24h] [--description TEXT] | token list | token delete ID... | token rotate --admin',
  summary: 'Manage join tokens for lanternd agent, and rotate the admin token',
  style: 'kubectl',
  flags: [
    { name: 'ttl', type: 'string', help: 'create: how long the token is valid (0: never expires)', default: '24h', value: 'duration' },
    { name: 'description', type: 'string', help: 'create: what the token is for, shown by token list', value: 'text' },
    { name: 'admin', type: 'bool', help: 'rotate: replace the admin token (the old one stops working at once)' },
    { name: 'output', short: 'o', type: 'string', help: 'list: json for the raw list', value: 'format' },
  ],
  notes: `Examples:
  lcctl token create --ttl 2h --description "rack 4"     prints K10<ca hash>::<id>.<secret>
  lanternd agent --server https://HOST:6443 --token-file FILE   (the token in FILE)
  lcctl token list
  lcctl token delete abcdef
  lcctl token rotate --admin      writes the new admin token into the config file lcctl read

DATA_DIR/node-token on the server stays valid next to these tokens.`,
};

async function create(p: Parsed, extra: string[]): Promise<number> {
  if (extra.length > 0) throw new UsageError(`lcctl token create takes no arguments, got ${JSON.stringify(extra.join(' '))}`);
  const ttlText = p.str('ttl') ?? '24h';
  const ttlSeconds = parseDuration(ttlText);
  if (ttlSeconds === undefined) throw new UsageError(`--ttl: ${JSON.stringify(ttlText)} is not a duration (examples: 30m, 24h, 0 for never)`);
  if (ttlSeconds > 0 && ttlSeconds < 1) throw new UsageError('--ttl: at least 1s (or 0 for a token that never expires)');
  const body = { ttlSeconds: Math.round(ttlSeconds), description: p.str('description') ?? '' };
  const made = await connect(p).json<{ token: string }>('POST', `${base}/jointokens`, body);
  process.stdout.write(`${made.token}\n`);
  return 0;
}

async function list(p: Parsed): Promise<number> {
  const answer = await connect(p).json<{ items: JoinTokenRow[] }>('GET', `${base}/jointokens`);
  if (p.str('output') === 'json') { process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`); return 0; }
  if (p.str('output') !== undefined) throw new UsageError(`--output: only json is supported here, got ${JSON.stringify(p.str('output'))}`);
  if (answer.items.length === 0) { process.stderr.write('No join tokens found (DATA_DIR/node-token is not listed; make one: lcctl token create)\n'); return 0; }
  const t = joinTokenTable(answer.items, Date.now());
  process.stdout.write(renderTable(t.header, t.rows, kubeStyle));
  return 0;
}

async function remove(p: Parsed, ids: string[]): Promise<number> {
  if (ids.length === 0) throw new UsageError('lcctl token delete needs the ID of each token (lcctl token list shows them)');
  const client = connect(p);
  for (const arg of ids) {
    // The whole token or ID.SECRET may be given too: only the ID goes to the server.
    const id = /^(?:K10[0-9a-f]{64}::)?([a-z0-9]{6})(?:\.[a-z0-9]{16})?$/.exec(arg.trim())?.[1];
    if (id === undefined) throw new UsageError(`${JSON.stringify(arg)} is not a join token ID (six lower-case letters and digits)`);
    await client.json('DELETE', `${base}/jointokens/${id}`);
    process.stdout.write(`join token "${id}" deleted\n`);
  }
  return 0;
}

async function rotate(p: Parsed, extra: string[]): Promise<number> {
  if (!p.bool('admin') || extra.length > 0) throw new UsageError('lcctl token rotate --admin: only the admin token can be rotated (delete join tokens with lcctl token delete)');
  const rotated = await connect(p).json<{ token: string; config: string }>('POST', `${base}/admintoken/rotate`, {});
  const cfg = resolveConfig({ server: p.str('server'), token: p.str('token') }, process.env, process.env.HOME ?? homedir());
  const fromFile = p.str('token') === undefined && !process.env.LANTERN_TOKEN && cfg.file !== undefined;
  if (fromFile) {
    writeFileSync(cfg.file!, replaceConfigToken(readFileSync(cfg.file!, 'utf8'), rotated.token), { mode: 0o600 });
    process.stderr.write(`admin token rotated: the old one no longer works; wrote the new one to ${cfg.file!} (the server rewrote DATA_DIR/admin.yaml and DATA_DIR/admin-token)\n`);
  } else {
    process.stderr.write('admin token rotated: the old one no longer works; the new client config follows (update LANTERN_TOKEN or --token)\n');
    process.stdout.write(rotated.config);
  }
  return 0;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub === 'create') return create(p, rest);
  if (sub === 'list' || sub === 'ls') return list(p);
  if (sub === 'delete' || sub === 'rm') return remove(p, rest);
  if (sub === 'rotate') return rotate(p, rest);
  throw new UsageError('lcctl token needs a subcommand: create [--ttl 24h] [--description TEXT], list, delete ID..., or rotate --admin');
}
