/**
 * lcctl entry point. Kept tiny on purpose: it reads the verb, imports only that verb's module, and
 * maps failures to Docker's (125) or kubectl's (1) exit statuses.
 */
import { verbs, mainHelp, type VerbEntry } from './verbs.js';
import { execute, type CommandModule } from './command.js';
import { CliError, UsageError, errorText, kubeErrorLine } from './errors.js';

/** Global flags that take a value, allowed before the verb. */
const valued = new Set(['--server', '--token']);

/** Print an error the way the verb's family does. */
function report(e: unknown, verb: string, entry: VerbEntry): number {
  const text = errorText(e);
  if (e instanceof UsageError) {
    process.stderr.write(entry.style === 'docker'
      ? `lcctl: ${text}\nSee 'lcctl ${verb} --help'.\n`
      : `error: ${text}\nSee 'lcctl ${verb} --help' for usage.\n`);
    return entry.style === 'docker' ? 125 : 1;
  }
  process.stderr.write(entry.style === 'docker' ? `lcctl: Error: ${text}\n` : `${kubeErrorLine(e)}\n`);
  return e instanceof CliError && e.exitCode !== undefined ? e.exitCode : entry.failCode;
}

/** Run lcctl with argv (without node and script); resolves with the exit status. */
async function main(argv: readonly string[]): Promise<number> {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') { process.stdout.write(mainHelp()); return 0; }
    if (a === '--version' || a === '-v') return main(['version', '--client', ...globals]);
    globals.push(a);
    if (valued.has(a)) {
      if (i + 1 >= argv.length) { process.stderr.write(`lcctl: flag needs an argument: ${a}\n`); return 125; }
      globals.push(argv[++i]!);
    } else if (!/^--(server|token)=/.test(a)) {
      process.stderr.write(`lcctl: unknown flag: ${a}\nSee 'lcctl --help'.\n`);
      return 125;
    }
  }
  const verb = argv[i];
  if (verb === undefined) { process.stdout.write(mainHelp()); return 0; }
  const entry = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
  if (!entry) {
    process.stderr.write(`lcctl: unknown command "${verb}"\nSee 'lcctl --help' for the list of commands.\n`);
    return 1;
  }
  try {
    const mod = (await import(`./commands/${entry.module}.js`)) as CommandModule;
    return await execute(mod, [...globals, ...argv.slice(i + 1)]);
  } catch (e) {
    return report(e, verb, entry);
  }
}

/** Exit once stdout and stderr have flushed (pipes may be asynchronous). */
function exit(code: number): void {
  let pending = 2;
  const done = (): void => { if (--pending === 0) process.exit(code); };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
main(process.argv.slice(2)).then(exit, (e: unknown) => {
  process.stderr.write(`lcctl: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  exit(125);
});
