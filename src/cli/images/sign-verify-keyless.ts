/**
 * lcctl image verify --bundle FILE --trusted-root FILE --certificate-identity ID
 * --certificate-oidc-issuer URL IMAGE: keyless verification as cosign's, with trust material given
 * offline (no TUF fetch: the nodes and CI reach no Sigstore service).
 */
import { readFileSync } from 'node:fs';
import { parseReference } from '../../image/signing/client.js';
import { loadBundle, loadTrustedRoot } from '../../image/signing/keyless.js';
import { fetchImageEvidence, verifyKeylessImage } from '../../image/signing/keyless-image.js';
import { resolveDigest } from '../../image/signing/remote.js';
import type { Parsed } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { signingClient } from './sign-registry.js';

function need(p: Parsed, flag: string): string {
  const v = p.str(flag);
  if (!v) throw new UsageError(`"lcctl image verify --bundle" requires --${flag}`);
  return v;
}

function readText(file: string, what: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) { throw new CliError(`cannot read ${what} ${file}: ${(e as Error).message}`); }
}

/** Runs the keyless form of image verify; resolves with the exit status. */
export async function runKeyless(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl image verify" requires exactly 1 argument (got ${p.args.length})`);
  if (p.list('key').length > 0) throw new UsageError('--key and --bundle cannot be used together');
  const bundleFile = need(p, 'bundle');
  const rootFile = need(p, 'trusted-root');
  const identity = { subject: need(p, 'certificate-identity'), issuer: need(p, 'certificate-oidc-issuer') };
  const output = p.str('output') || 'text';
  if (output !== 'json' && output !== 'text') throw new UsageError(`--output must be json or text, not "${output}"`);
  const image = p.args[0]!;
  try {
    const bundle = loadBundle(readText(bundleFile, 'bundle'), `bundle ${bundleFile}`);
    const trust = loadTrustedRoot(readText(rootFile, 'trusted root'), `trusted root ${rootFile}`);
    const ref = parseReference(image);
    const client = signingClient(p, image, ref.domain);
    const digest = await resolveDigest(client, ref.path, ref.digest ?? ref.tag ?? 'latest');
    const verdict = verifyKeylessImage(`${ref.domain}/${ref.path}`, bundle, trust, identity, await fetchImageEvidence(client, ref.path, digest));
    process.stderr.write(`\nVerification for ${image} --\nThe following checks were performed on each of these signatures:\n  - The signature was verified against the certificate, which chains to the trusted root\n  - The certificate identity and OIDC issuer matched\n  - Existence of the claims in the transparency log was verified offline\n`);
    const doc = { image: `${ref.domain}/${ref.path}@${digest}`, subject: verdict.subject, issuer: verdict.issuer, via: verdict.via };
    process.stdout.write(output === 'json' ? `${JSON.stringify([doc])}\n` : `${JSON.stringify(doc)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof UsageError) throw e;
    throw new CliError(`verifying ${image}: ${(e as Error).message}`);
  }
}
