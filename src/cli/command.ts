/** The shape of a verb module and how one is run (parse, --help, run). */
import { formatHelp, parseArgs, type CommandSpec, type Parsed } from './args.js';

/** What every commands/<verb>.ts exports. */
export interface CommandModule {
  spec: CommandSpec;
  /** Run with parsed arguments; resolves with the exit status. */
  run(p: Parsed): Promise<number>;
}

/** Parse argv for a module and run it; `--help` prints usage and exits 0. */
export async function execute(mod: CommandModule, argv: readonly string[]): Promise<number> {
  const p = parseArgs(mod.spec, argv);
  if (p.bool('help')) {
    process.stdout.write(formatHelp(mod.spec));
    return 0;
  }
  return mod.run(p);
}

/** Write text to stdout. */
export function out(text: string): void { process.stdout.write(text); }

/** Write text to stderr. */
export function err(text: string): void { process.stderr.write(text); }
