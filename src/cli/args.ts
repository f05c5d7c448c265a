/**
 * Docker/pflag-style argument parsing: `--flag value`, `--flag=value`, `-f value`, `-fvalue`, `-f=value`,
 * combined booleans (`-dit`), repeatable list flags and `--`. With `interspersed: false` flags end at
 * the first positional argument (docker run IMAGE CMD..., exec NAME CMD...).
 */
import { UsageError } from './errors.js';

export type FlagType = 'bool' | 'string' | 'int' | 'list';

/** One flag a command accepts. */
export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  help: string;
  /** Placeholder shown in help (e.g. "string", "list"). */
  value?: string;
  /** Shown in help only; commands apply defaults themselves. */
  default?: string;
}

/** How a verb reports its errors: Docker exits 125 on bad usage, kubectl exits 1. */
export type VerbStyle = 'docker' | 'kubectl';

/** What a command accepts, for parsing and for `--help`. */
export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  style: VerbStyle;
  flags: FlagSpec[];
  /** false: flags end at the first positional argument. Default true. */
  interspersed?: boolean;
  /** Extra help text (examples, notes). */
  notes?: string;
}

/** -n/--namespace, as kubectl (default: default). */
export const namespaceFlag: FlagSpec = { name: 'namespace', short: 'n', type: 'string', help: 'Namespace', default: 'default' };

/** Flags every verb accepts. */
export const globalFlags: FlagSpec[] = [
  { name: 'server', type: 'string', help: 'API server URL (env LANTERN_SERVER)', value: 'url' },
  { name: 'token', type: 'string', help: 'Bearer token (env LANTERN_TOKEN)', value: 'string' },
  { name: 'help', type: 'bool', help: 'Print usage' },
];

type Value = boolean | string | number | string[];

/** Parsed flags with typed accessors. */
export class Parsed {
  constructor(readonly values: Map<string, Value>, readonly args: string[], readonly spec: CommandSpec) {}
  has(name: string): boolean { return this.values.has(name); }
  bool(name: string): boolean { return this.values.get(name) === true; }
  str(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  int(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

function flagLabel(f: FlagSpec): string {
  return f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
}

function parseBool(f: FlagSpec, v: string): boolean {
  if (v === 'true' || v === '1' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === '0' || v === 'False' || v === 'FALSE') return false;
  throw new UsageError(`invalid argument "${v}" for "${flagLabel(f)}" flag: expected true or false`);
}

function store(values: Map<string, Value>, f: FlagSpec, raw: string | boolean): void {
  if (f.type === 'bool') { values.set(f.name, typeof raw === 'boolean' ? raw : parseBool(f, raw)); return; }
  const v = String(raw);
  if (f.type === 'list') {
    const prev = values.get(f.name);
    values.set(f.name, [...(Array.isArray(prev) ? prev : []), v]);
  } else if (f.type === 'int') {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n)) throw new UsageError(`invalid argument "${v}" for "${flagLabel(f)}" flag: expected an integer`);
    values.set(f.name, n);
  } else {
    values.set(f.name, v);
  }
}

/** Parse argv against a command's flags (plus the global ones); throws UsageError naming the bad flag. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const flags = [...spec.flags, ...globalFlags.filter((g) => !spec.flags.some((f) => f.name === g.name))];
  const byLong = new Map(flags.map((f) => [f.name, f]));
  const byShort = new Map<string, FlagSpec>();
  for (const f of flags) if (f.short) byShort.set(f.short, f);
  // -h is help unless the verb uses it for something else (docker run -h is --hostname).
  if (!byShort.has('h')) byShort.set('h', byLong.get('help')!);
  const interspersed = spec.interspersed ?? true;
  const values = new Map<string, Value>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const f = byLong.get(name);
      if (!f) throw new UsageError(`unknown flag: --${name}`);
      if (eq >= 0) store(values, f, a.slice(eq + 1));
      else if (f.type === 'bool') store(values, f, true);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
        store(values, f, argv[++i]!);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const chars = a.slice(1);
      for (let j = 0; j < chars.length; j++) {
        const c = chars[j]!;
        const f = byShort.get(c);
        if (!f) throw new UsageError(`unknown shorthand flag: '${c}' in ${a}`);
        if (f.type === 'bool') {
          if (chars[j + 1] === '=') { store(values, f, chars.slice(j + 2)); break; }
          store(values, f, true);
          continue;
        }
        let rest = chars.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '') store(values, f, rest);
        else {
          if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${c}' in -${c}`);
          store(values, f, argv[++i]!);
        }
        break;
      }
      continue;
    }
    args.push(a);
    if (!interspersed) { args.push(...argv.slice(i + 1)); break; }
  }
  return new Parsed(values, args, spec);
}

/** The `--help` text of a command. */
export function formatHelp(spec: CommandSpec): string {
  const rows = [...spec.flags, ...globalFlags.filter((g) => !spec.flags.some((f) => f.name === g.name))].map((f) => {
    const label = (f.short ? `-${f.short}, ` : '    ') + `--${f.name}` + (f.type === 'bool' ? '' : ` ${f.value ?? (f.type === 'int' ? 'int' : f.type === 'list' ? 'list' : 'string')}`);
    return [label, f.help + (f.default !== undefined ? ` (default ${f.default})` : '')] as const;
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 3;
  const lines = [`Usage:  lcctl ${spec.usage}`, '', spec.summary, '', 'Options:'];
  for (const [l, h] of rows) lines.push(`  ${l.padEnd(width)}${h}`);
  if (spec.notes) lines.push('', spec.notes.trimEnd());
  return lines.join('\n') + '\n';
}
