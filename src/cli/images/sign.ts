/**
 * lcctl image sign --key KEY IMAGE: signs the manifest digest IMAGE names now (resolved at the
 * registry) and appends the signature to IMAGE's repository under sha256-<hex>.sig, as cosign sign
 * does (no transparency log: the equivalent of cosign's --tlog-upload=false).
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pemBlock, loadPrivateKey } from '../../image/signing/keys.js';
import { simpleSigningPayload } from '../../image/signing/payload.js';
import { signPayload, verifyPayload } from '../../image/signing/signature.js';
import { attachSignature, resolveDigest, type StoredSignature } from '../../image/signing/remote.js';
import { parseReference } from '../../image/signing/client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { cosignPassword } from './sign-password.js';
import { signingClient } from './sign-registry.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image sign',
  usage: 'image sign --key KEY IMAGE',
  summary: 'Sign an image in its registry (cosign-compatible signature)',
  style: 'docker',
  flags: [{ name: 'key', type: 'string', help: 'Private key: cosign.key (password from COSIGN_PASSWORD or asked) or a PKCS#8/EC PEM', value: 'file' }],
  notes: 'Example: lcctl image sign --key cosign.key 127.0.0.1:6443/team/app:1\nVerify with lcctl image verify --key cosign.pub IMAGE, or cosign verify --key cosign.pub --insecure-ignore-tlog IMAGE.',
};

/** The repository name cosign writes as docker-reference (Docker Hub as index.docker.io). */
export function dockerReference(domain: string, path: string): string {
  return `${domain === 'docker.io' ? 'index.docker.io' : domain}/${path}`;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl image sign" requires exactly 1 argument (got ${p.args.length})`);
  const keyFile = p.str('key');
  if (!keyFile) throw new UsageError('"lcctl image sign" requires --key (a cosign.key or PEM private key)');
  const image = p.args[0]!;
  let text: string;
  try { text = readFileSync(keyFile, 'utf8'); } catch (e) { throw new CliError(`cannot read key ${keyFile}: ${(e as Error).message}`); }
  try {
    const encrypted = /ENCRYPTED/.test(pemBlock(text, `key ${keyFile}`).label);
    const key = loadPrivateKey(text, encrypted ? await cosignPassword(false) : undefined, `key ${keyFile}`);
    const ref = parseReference(image);
    const client = signingClient(p, image, ref.domain);
    const digest = await resolveDigest(client, ref.path, ref.digest ?? ref.tag ?? 'latest');
    const payload = simpleSigningPayload(dockerReference(ref.domain, ref.path), digest);
    const pub = createPublicKey(key);
    const sameSigner = (st: StoredSignature): boolean => st.layer.signature !== undefined && verifyPayload(pub, st.payload, st.layer.signature);
    const { tag, added } = await attachSignature(client, ref.path, digest, payload, signPayload(key, payload), sameSigner);
    process.stderr.write(`${added ? 'Pushing signature to' : 'Signature already present in'}: ${ref.domain}/${ref.path}:${tag}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`signing ${image}: ${(e as Error).message}`);
  }
}
