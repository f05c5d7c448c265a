/**
 * What the completion scripts are made from: the verb table (verbs.ts), each verb's CommandSpec flags
 * and the kind list (api/kinds). Nothing here is written by hand per verb except which verbs take
 * kinds, containers or nodes as arguments, so a new verb or flag reaches the scripts by itself.
 */
import { globalFlags, type FlagSpec } from '../args.js';
import type { CommandModule } from '../command.js';
import { verbs } from '../verbs.js';
import { kindModules } from '../../api/kinds/index.js';

/** What a verb's positional arguments name, for completing them from the server. */
export type ArgKind = 'kinds' | 'pods' | 'pod' | 'nodes' | 'verbs' | 'none';

/** One verb as the scripts see it. */
export interface VerbModel { name: string; summary: string; flags: FlagSpec[]; args: ArgKind }

/** Everything a completion script needs. */
export interface CompletionModel { verbs: VerbModel[]; globals: FlagSpec[]; kinds: string[] }

/**
 * Verbs whose arguments are objects: KIND then names of that kind; containers (pods: every argument,
 * pod: the first only, the rest is a command or ports); nodes; verbs (help).
 */
const argKinds: Record<string, ArgKind> = {
  get: 'kinds', describe: 'kinds', delete: 'kinds',
  logs: 'pod', exec: 'pod', 'port-forward': 'pod', attach: 'pod',
  stop: 'pods', start: 'pods', restart: 'pods', rm: 'pods', inspect: 'pods', stats: 'pods',
  cordon: 'nodes', uncordon: 'nodes', drain: 'nodes',
  help: 'verbs',
};

/** Verbs users do not type (the scripts' own helper). */
export function isHidden(name: string): boolean { return name.startsWith('__'); }

/** Load every verb's spec (imports each verb module once) and the kind names. */
export async function completionModel(): Promise<CompletionModel> {
  const out: VerbModel[] = [];
  for (const [name, entry] of Object.entries(verbs)) {
    if (isHidden(name)) continue;
    const mod = (await import(`../commands/${entry.module}.js`)) as CommandModule;
    const own = mod.spec.flags;
    const flags = [...own, ...globalFlags.filter((g) => !own.some((f) => f.name === g.name))];
    out.push({ name, summary: entry.summary, flags, args: argKinds[name] ?? 'none' });
  }
  return { verbs: out, globals: globalFlags, kinds: kindModules.map((k) => k.resource) };
}

/** "--name -n" for a flag list; valuedOnly keeps the flags that take a value. */
export function flagWords(flags: readonly FlagSpec[], valuedOnly = false): string[] {
  return flags.filter((f) => !valuedOnly || f.type !== 'bool')
    .flatMap((f) => (f.short === undefined ? [`--${f.name}`] : [`--${f.name}`, `-${f.short}`]));
}
