/**
 * Client certificates for users (`lcctl create user`): a fresh EC P-256 key and a certificate the
 * cluster CA signs with CN = user and one O per group (Kubernetes' x509 convention), extendedKeyUsage
 * clientAuth only, so it can never serve TLS. Made with the openssl command, as the CA is.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openssl } from './openssl.js';

/** Sign a client certificate in PKI_DIR's CA for USER in GROUPS, valid for DAYS; names were checked by the caller. */
export async function issueClientCert(pkiDir: string, user: string, groups: string[], days: number): Promise<{ cert: string; key: string }> {
  // A temp dir inside pki/ (0700): the new key is never readable by others, even for a moment.
  const tmp = await mkdtemp(path.join(pkiDir, '.user-'));
  try {
    await writeFile(path.join(tmp, 'user.cnf'), [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', ...groups.map((g, i) => `${i}.O = ${g}`), `CN = ${user}`,
      '[v3_client]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth', '',
    ].join('\n'));
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'user.key'], tmp);
    await openssl(['req', '-new', '-key', 'user.key', '-config', 'user.cnf', '-out', 'user.csr'], tmp);
    await openssl(['x509', '-req', '-in', 'user.csr', '-CA', path.join(pkiDir, 'ca.crt'), '-CAkey', path.join(pkiDir, 'ca.key'),
      '-set_serial', `0x1${randomBytes(15).toString('hex')}`, '-days', String(days), '-sha256', '-extfile', 'user.cnf', '-extensions', 'v3_client', '-out', 'user.crt'], tmp);
    return { cert: await readFile(path.join(tmp, 'user.crt'), 'utf8'), key: await readFile(path.join(tmp, 'user.key'), 'utf8') };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
