/** lcctl image generate-key-pair: cosign.key (cosign's encrypted format) and cosign.pub, as cosign generate-key-pair. */
import { existsSync, writeFileSync } from 'node:fs';
import { generateCosignKeyPair } from '../../image/signing/keys.js';
import type { CommandSpec, Parsed } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { cosignPassword } from './sign-password.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image generate-key-pair',
  usage: 'image generate-key-pair [--output-key-prefix cosign]',
  summary: 'Generate an ECDSA P-256 key pair for image signing (cosign-compatible)',
  style: 'docker',
  flags: [{ name: 'output-key-prefix', type: 'string', help: 'Name of the files: PREFIX.key and PREFIX.pub', value: 'string', default: 'cosign' }],
  notes: 'The private key is encrypted with the password from COSIGN_PASSWORD, or asked twice on the terminal.\ncosign sign/verify read both files; so do lcctl image sign/verify.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 0) throw new UsageError(`"lcctl image generate-key-pair" takes no arguments (got ${p.args.length})`);
  const prefix = p.str('output-key-prefix') || 'cosign';
  const keyFile = `${prefix}.key`;
  const pubFile = `${prefix}.pub`;
  for (const f of [keyFile, pubFile]) if (existsSync(f)) throw new CliError(`${f} already exists: remove it or choose another --output-key-prefix`);
  const { privatePem, publicPem } = generateCosignKeyPair(await cosignPassword(true));
  writeFileSync(keyFile, privatePem, { mode: 0o600 });
  writeFileSync(pubFile, publicPem, { mode: 0o644 });
  process.stderr.write(`Private key written to ${keyFile}\nPublic key written to ${pubFile}\n`);
  return 0;
}
