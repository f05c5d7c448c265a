/** A tiny long-flag parser for lanternd: --name value, --name=value and boolean --flag. */
export interface FlagSpec { [name: string]: 'string' | 'boolean' }

export class FlagError extends Error {}

export function parseFlags(args: string[], spec: FlagSpec): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const type = spec[name];
    if (type === undefined) throw new FlagError(`unknown flag: --${name}`);
    if (type === 'boolean') {
      out[name] = eq > 0 ? arg.slice(eq + 1) !== 'false' : true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new FlagError(`flag needs an argument: --${name}`);
    out[name] = value;
  }
  return out;
}

/** Parse "k=v,k2=v2" (agent --labels). */
export function parseLabels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(',').filter((p) => p.trim() !== '')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new FlagError(`invalid label ${JSON.stringify(part)}: expected key=value`);
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
