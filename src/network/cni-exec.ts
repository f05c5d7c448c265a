import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, toolEnv } from './exec.js';
import { CniCommand, CniRuntime, isCniResult, type CniResult } from './cni-types.js';

/** Names of the well-known CNI error codes (spec 1.0.0, "Error" section). */
const WELL_KNOWN: Record<number, string> = {
  1: 'incompatible CNI version',
  2: 'unsupported field in network configuration',
  3: 'container unknown or does not exist',
  4: 'invalid necessary environment variables',
  5: 'I/O failure',
  6: 'failed to decode content',
  7: 'invalid network config',
  11: 'try again later',
};

/** A plugin failure, carrying the CNI error object {code, msg, details} the plugin printed. */
export class CniError extends Error {
  readonly plugin: string;
  readonly command: CniCommand;
  readonly code: number;
  readonly msg: string;
  readonly details: string | undefined;
  constructor(plugin: string, command: CniCommand, code: number, msg: string, details: string | undefined, context: string) {
    const kind = WELL_KNOWN[code] ? ` (${WELL_KNOWN[code]})` : '';
    const more = details && details !== msg ? `: ${details}` : '';
    super(`CNI plugin "${plugin}" failed ${command} for ${context}: ${msg}${more} [CNI error ${code}${kind}]${hint(code, msg)}`);
    this.name = 'CniError';
    this.plugin = plugin;
    this.command = command;
    this.code = code;
    this.msg = msg;
    this.details = details;
  }
}

function hint(code: number, msg: string): string {
  if (code === 1) return '; install containernetworking-plugins >= 1.0 (CNI spec 1.0.0)';
  if (/no IP addresses available/i.test(msg)) return '; the subnet is full: tear down unused pods or configure a larger subnet';
  if (/iptables/i.test(msg)) return '; check that `iptables -t nat -S` works as root (see src/network/README.md)';
  return '';
}

/** Finds a plugin executable in the plugin directories, in order (CNI_PATH semantics). */
export async function findPlugin(type: string, dirs: string[]): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(type)) throw new Error(`invalid CNI plugin type "${type}"`);
  for (const dir of dirs) {
    const file = join(dir, type);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch { /* try the next directory */ }
  }
  throw new Error(`CNI plugin "${type}" not found in ${dirs.join(', ')}; install containernetworking-plugins (apt-get install containernetworking-plugins) or set pluginDirs`);
}

/**
 * Runs one plugin once: config on stdin, CNI_* in the environment, result or error JSON on stdout.
 * Returns the parsed result for ADD, undefined for DEL and CHECK (which print nothing on success).
 */
export async function execPlugin(
  command: CniCommand, conf: Record<string, unknown> & { type: string }, rt: CniRuntime, dirs: string[],
): Promise<CniResult | undefined> {
  const file = await findPlugin(conf.type, dirs);
  const env = toolEnv();
  for (const k of Object.keys(env)) if (k.startsWith('CNI_')) delete env[k];
  Object.assign(env, {
    CNI_COMMAND: command,
    CNI_CONTAINERID: rt.containerId,
    CNI_NETNS: rt.netnsPath,
    CNI_IFNAME: rt.ifName,
    CNI_PATH: dirs.join(':'),
  });
  const context = `container ${rt.containerId} (netns ${rt.netnsPath}, ${rt.ifName})`;
  const r = await runCommand(file, [], { input: JSON.stringify(conf), env });
  if (r.code !== 0) {
    const e = parseError(r.stdout);
    if (e) throw new CniError(conf.type, command, e.code, e.msg, e.details, context);
    const text = (r.stderr.trim() || r.stdout.trim() || `exit status ${r.code}`).slice(0, 2000);
    throw new CniError(conf.type, command, 999, text, undefined, context);
  }
  if (command !== 'ADD') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    throw new CniError(conf.type, command, 6, `plugin printed a result that is not JSON: ${r.stdout.slice(0, 200)}`, undefined, context);
  }
  if (!isCniResult(parsed)) {
    throw new CniError(conf.type, command, 6, 'plugin printed JSON that is not a CNI result', undefined, context);
  }
  return parsed;
}

function parseError(stdout: string): { code: number; msg: string; details?: string } | undefined {
  try {
    const v: unknown = JSON.parse(stdout);
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, unknown>;
    if (typeof o.code !== 'number') return undefined;
    const msg = typeof o.msg === 'string' ? o.msg : 'unknown error';
    return typeof o.details === 'string' ? { code: o.code, msg, details: o.details } : { code: o.code, msg };
  } catch {
    return undefined;
  }
}
