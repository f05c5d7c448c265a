/**
 * The member's certificate, signed by the cluster CA (DATA_DIR/pki): one EC key and certificate for
 * etcd's peer and client listeners (serverAuth + clientAuth), also the client certificate the
 * server's store and the member-add calls present. Remade when the wanted names change.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openssl } from '../pki/openssl.js';

/** Files of the member's certificate. */
export interface EtcdCertFiles { cert: string; key: string; ca: string }

const isIp = (s: string): boolean => /^[0-9.]+$/.test(s) || s.includes(':');

/** Makes DIR/etcd.crt and etcd.key (0600) for NAMES unless a valid one for them exists. */
export async function ensureEtcdCert(dir: string, pkiDir: string, names: string[]): Promise<EtcdCertFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = { cert: path.join(dir, 'etcd.crt'), key: path.join(dir, 'etcd.key'), ca: path.join(pkiDir, 'ca.crt') };
  const current = await readFile(files.cert, 'utf8').catch(() => undefined);
  const ca = await readFile(files.ca, 'utf8');
  if (current !== undefined && fits(current, ca, names) && await readFile(files.key).then(() => true, () => false)) return files;
  const tmp = await mkdtemp(path.join(dir, '.tmp-'));
  try {
    const sans = names.map((n) => (isIp(n) ? `IP:${n}` : `DNS:${n}`)).join(', ');
    await writeFile(path.join(tmp, 'etcd.cnf'), [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = lantern-etcd',
      '[v3]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth, clientAuth', `subjectAltName = ${sans}`, '',
    ].join('\n'));
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'etcd.key'], tmp);
    await openssl(['req', '-new', '-key', 'etcd.key', '-config', 'etcd.cnf', '-out', 'etcd.csr'], tmp);
    await openssl(['x509', '-req', '-in', 'etcd.csr', '-CA', files.ca, '-CAkey', path.join(pkiDir, 'ca.key'),
      '-set_serial', `0x1${randomBytes(15).toString('hex')}`, '-days', '825', '-sha256', '-extfile', 'etcd.cnf', '-extensions', 'v3', '-out', 'etcd.crt'], tmp);
    await chmod(path.join(tmp, 'etcd.key'), 0o600);
    await rename(path.join(tmp, 'etcd.key'), files.key);
    await rename(path.join(tmp, 'etcd.crt'), files.cert);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return files;
}

/** Signed by this CA, valid for 30 more days, naming every wanted name. */
function fits(pem: string, caPem: string, names: string[]): boolean {
  try {
    const cert = new X509Certificate(pem);
    if (!cert.checkIssued(new X509Certificate(caPem))) return false;
    if (Date.parse(cert.validTo) < Date.now() + 30 * 86_400_000) return false;
    const have = new Set((cert.subjectAltName ?? '').split(',').map((s) => s.trim().replace(/^IP Address:/, 'IP:')));
    return names.every((n) => have.has(isIp(n) ? `IP:${n}` : `DNS:${n}`));
  } catch { return false; }
}
