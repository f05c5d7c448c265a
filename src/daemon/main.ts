import { ApiError } from '../api/errors.js';
import { FlagError } from './flags.js';
import { FatalError } from './fatal.js';
import { VERSION } from './version.js';

const usage = `Usage: lanternd COMMAND [flags]

Commands:
  server    run the control plane and (by default) an agent for this machine
  agent     join this machine to a server as a node
  sim       host many simulated nodes in one process (scale tests)
  snapshot  save|ls|restore|prune: snapshots of the store (SQLite or etcd)
  secrets-encrypt  status|rotate-keys|reencrypt: Secrets encrypted at rest, through the running server
  version   print the version

Run 'lanternd COMMAND --help' for a command's flags.
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'server': { const { runServer } = await import('./server.js'); await runServer(rest); return; }
    case 'agent': { const { runAgent } = await import('./agent.js'); await runAgent(rest); return; }
    case 'sim': { const { runSim } = await import('./sim.js'); await runSim(rest); return; }
    case 'snapshot': { const { runSnapshot } = await import('./snapshot-cli.js'); await runSnapshot(rest); return; }
    case 'secrets-encrypt': { const { runSecretsEncrypt } = await import('./secrets-encrypt.js'); await runSecretsEncrypt(rest); return; }
    case 'version': case '--version': process.stdout.write(`lanternd ${VERSION}\n`); return;
    case undefined: case 'help': case '--help': case '-h': process.stdout.write(usage); return;
    default: throw new FlagError(`unknown command ${JSON.stringify(command)}\n\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof FlagError) { process.stderr.write(`lanternd: ${e.message}\n`); process.exit(2); }
  if (e instanceof ApiError) { process.stderr.write(`lanternd: ${e.message}\n`); process.exit(1); }
  if (e instanceof FatalError) { process.stderr.write(`${e.message}\n`); process.exit(1); }
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') { process.stderr.write(`lanternd: the listen address is already in use (${err.message}); pick another with --listen\n`); process.exit(1); }
  process.stderr.write(`lanternd: ${err.stack ?? String(e)}\n`);
  process.exit(1);
});
