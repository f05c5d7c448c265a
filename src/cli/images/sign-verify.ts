/**
 * lcctl image verify --key cosign.pub IMAGE: checks every signature stored for the digest IMAGE
 * names, as cosign verify --key does; prints cosign's check lines and the verified payloads, or
 * fails naming why (no signatures, signature mismatch, digest mismatch).
 */
import { readFileSync } from 'node:fs';
import { loadPublicKey } from '../../image/signing/keys.js';
import { fetchSignatures, resolveDigest } from '../../image/signing/remote.js';
import { refusalReason, verifySignatures } from '../../image/signing/verify.js';
import { parseReference } from '../../image/signing/client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { signingClient } from './sign-registry.js';
import { runKeyless } from './sign-verify-keyless.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image verify',
  usage: 'image verify (--key cosign.pub | --bundle FILE --trusted-root FILE --certificate-identity ID --certificate-oidc-issuer URL) IMAGE [-o json|text]',
  summary: 'Verify the cosign signatures of an image',
  style: 'docker',
  flags: [
    { name: 'key', type: 'list', help: 'Public key (SPKI PEM, cosign.pub); repeat to accept any of several', value: 'file' },
    { name: 'bundle', type: 'string', help: 'Keyless: a Sigstore bundle (Fulcio certificate + Rekor entry) that signs the image', value: 'file' },
    { name: 'trusted-root', type: 'string', help: 'Keyless: Sigstore trusted_root.json (CAs, Rekor and CT log keys), given offline', value: 'file' },
    { name: 'certificate-identity', type: 'string', help: 'Keyless: the signer identity (certificate SAN) required, exact', value: 'string' },
    { name: 'certificate-oidc-issuer', type: 'string', help: 'Keyless: the OIDC issuer required, exact', value: 'url' },
    { name: 'output', short: 'o', type: 'string', help: 'json (an array of the verified payloads) or text (one payload a line)', value: 'string', default: 'text' },
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl image verify" requires exactly 1 argument (got ${p.args.length})`);
  if (p.str('bundle')) return runKeyless(p);
  const files = p.list('key');
  if (files.length === 0) throw new UsageError('"lcctl image verify" requires --key (a public key such as cosign.pub) or --bundle (keyless)');
  const output = p.str('output') || 'text';
  if (output !== 'json' && output !== 'text') throw new UsageError(`--output must be json or text, not "${output}"`);
  const image = p.args[0]!;
  try {
    const keys = files.map((f) => {
      let text: string;
      try { text = readFileSync(f, 'utf8'); } catch (e) { throw new CliError(`cannot read key ${f}: ${(e as Error).message}`); }
      return { name: f, key: loadPublicKey(text, `key ${f}`) };
    });
    const ref = parseReference(image);
    const client = signingClient(p, image, ref.domain);
    const digest = await resolveDigest(client, ref.path, ref.digest ?? ref.tag ?? 'latest');
    const sigs = await fetchSignatures(client, ref.path, digest);
    const result = verifySignatures(digest, sigs, keys);
    const name = `${ref.domain}/${ref.path}`;
    if (result.verified.length === 0) throw new CliError(refusalReason(name, digest, sigs, result, `the key${keys.length > 1 ? 's' : ''} ${files.join(', ')}`));
    process.stderr.write(`\nVerification for ${image} --\nThe following checks were performed on each of these signatures:\n  - The cosign claims were validated\n  - The signatures were verified against the specified public key\n`);
    const docs = result.verified.map((v) => JSON.parse(v.payload.toString('utf8')) as unknown);
    process.stdout.write(output === 'json' ? `${JSON.stringify(docs)}\n` : docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`verifying ${image}: ${(e as Error).message}`);
  }
}
