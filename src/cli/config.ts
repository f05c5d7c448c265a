/**
 * Where the server is and which token to send. Each field is taken from the first source that has it:
 * --server/--token flags, LANTERN_SERVER/LANTERN_TOKEN, the file named by LANTERN_CONFIG (or, when that
 * is unset, ~/.lantern/config.yaml). The file is a tiny YAML subset read without the yaml package,
 * because start-up time matters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.js';
import { serversOf } from './config-servers.js';

/** The default address of `lanternd server`. */
export const defaultServer = 'http://127.0.0.1:6443';

/** Fields of a config file. */
export interface ConfigFile { server?: string; /** The `servers:` list, comma-joined (config-servers.ts). */ servers?: string; token?: string; caData?: string; clientCertificateData?: string; clientKeyData?: string }

/** The connection settings in force, and where they came from. */
export interface ResolvedConfig { server: string; token: string; ca?: string; file?: string; cert?: string; key?: string }

function unquote(v: string): string {
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    try { return JSON.parse(v) as string; } catch { return v.slice(1, -1); }
  }
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  return v.replace(/\s+#.*$/, '').trim();
}

/** A user's client certificate fields (`lcctl create user`), present only when the file has them. */
const clientCertOf = (cert: string | undefined, key: string | undefined): Pick<ConfigFile, 'clientCertificateData' | 'clientKeyData'> =>
  cert !== undefined && key !== undefined ? { clientCertificateData: cert, clientKeyData: key } : {};

/** Parse top-level `key: value` lines (quoted or plain scalars, and `|`/`>` blocks); nested keys are ignored. */
export function parseConfigText(text: string): ConfigFile {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line) || /^\s/.test(line) || line === '---') continue;
    const m = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    const key = m[1]!;
    const raw = (m[2] ?? '').trim();
    if (raw === '|' || raw === '>' || raw === '|-' || raw === '>-') {
      const block: string[] = [];
      while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1]!) || lines[i + 1] === '')) block.push(lines[++i]!.trim());
      out[key] = raw.startsWith('|') ? block.join('\n') : block.join(' ');
    } else {
      out[key] = unquote(raw);
    }
  }
  const pick = (k: string): string | undefined => (out[k] !== undefined && out[k] !== '' ? out[k] : undefined);
  const servers = serversOf(text);
  return { server: pick('server'), ...(servers === undefined ? {} : { servers }), token: pick('token'), caData: pick('caData'), ...clientCertOf(pick('clientCertificateData'), pick('clientKeyData')) };
}

/** Read a config file; a missing default file is fine, a missing named one is an error when needed. */
function readConfigFile(file: string, required: boolean, needed: boolean): ConfigFile | undefined {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    if (!needed || (!required && (e as NodeJS.ErrnoException).code === 'ENOENT')) return undefined;
    throw new CliError(`cannot read the config file ${file} (from ${required ? 'LANTERN_CONFIG' : 'the default location'}): ${(e as Error).message}`);
  }
  return parseConfigText(text);
}

/** Give a bare host:port a scheme. */
export function normalizeServer(server: string, tls: boolean): string {
  // A comma-separated list (several servers) gets a scheme on each.
  return server.split(',').map((one) => /^[a-z][a-z0-9+.-]*:\/\//i.test(one) ? one : `${tls ? 'https' : 'http'}://${one}`).join(',');
}

/** The config file lcctl reads (and `lcctl login` writes): LANTERN_CONFIG, else ~/.lantern/config.yaml. */
export function configFilePath(env: NodeJS.ProcessEnv, home: string): string | undefined {
  return env.LANTERN_CONFIG || (home ? join(home, '.lantern', 'config.yaml') : undefined);
}

/** Resolve server, token and CA in the documented order. */
export function resolveConfig(flags: { server?: string; token?: string }, env: NodeJS.ProcessEnv, home: string): ResolvedConfig {
  let server = flags.server || env.LANTERN_SERVER || undefined;
  let token = flags.token || env.LANTERN_TOKEN || undefined;
  let ca: string | undefined;
  let file: string | undefined;
  let clientCert: { cert: string; key: string } | undefined;
  const named = env.LANTERN_CONFIG || undefined;
  const path = configFilePath(env, home);
  // The file may still supply the CA even when flags give server and token.
  const cfg = path === undefined ? undefined : readConfigFile(path, named !== undefined, server === undefined || token === undefined);
  if (cfg) {
    file = path;
    server ??= cfg.servers ?? cfg.server;
    token ??= cfg.token;
    if (cfg.caData) ca = Buffer.from(cfg.caData, 'base64').toString('utf8');
    // A user of `lcctl create user` (server/identity): a client certificate instead of a token.
    if (cfg.clientCertificateData && cfg.clientKeyData && token === undefined) {
      clientCert = { cert: Buffer.from(cfg.clientCertificateData, 'base64').toString('utf8'), key: Buffer.from(cfg.clientKeyData, 'base64').toString('utf8') };
    }
  }
  const resolved: ResolvedConfig = { server: normalizeServer(server ?? defaultServer, ca !== undefined), token: token ?? '' };
  if (ca !== undefined) resolved.ca = ca;
  if (file !== undefined) resolved.file = file;
  if (clientCert !== undefined) Object.assign(resolved, clientCert);
  return resolved;
}
