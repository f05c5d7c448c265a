import { X509Certificate, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openssl } from './openssl.js';

/** The cluster's CA and the server's serving certificate, as PEM text. */
export interface ServerPki { caCert: string; serverKey: string; serverCert: string }

const CA_DAYS = 3650;
const SERVING_DAYS = 825;
/** Renew the serving certificate when it expires within this many days. */
const RENEW_DAYS = 30;

/** localhost, 127.0.0.1, the host name, each non-internal IPv4 of the host, and the extra names given. */
export function defaultSans(extra: string[] = []): string[] {
  const sans = new Set(['localhost', '127.0.0.1', os.hostname().toLowerCase()]);
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) sans.add(a.address);
  }
  for (const s of extra) if (s.trim() !== '') sans.add(s.trim());
  return [...sans];
}

const isIp = (s: string): boolean => /^[0-9.]+$/.test(s) || s.includes(':');
const sanEntry = (s: string): string => (isIp(s) ? `IP:${s}` : `DNS:${s}`);

/**
 * Load DATA_DIR/pki, creating the CA (EC P-256, 10 years) on first start and the serving certificate
 * whenever it is missing, close to expiry, or lacks one of the wanted SANs. The CA is never replaced:
 * join tokens pin its hash.
 */
export async function ensureServerPki(pkiDir: string, sans: string[]): Promise<ServerPki> {
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const f = (name: string): string => path.join(pkiDir, name);
  if (!(await exists(f('ca.crt'))) || !(await exists(f('ca.key')))) await createCa(pkiDir);
  const current = await readFile(f('server.crt'), 'utf8').catch(() => undefined);
  if (current === undefined || !(await exists(f('server.key'))) || !servingCertFits(current, sans)) await createServing(pkiDir, sans);
  return {
    caCert: await readFile(f('ca.crt'), 'utf8'),
    serverKey: await readFile(f('server.key'), 'utf8'),
    serverCert: await readFile(f('server.crt'), 'utf8'),
  };
}

/** True when the certificate names every SAN and is valid for RENEW_DAYS more. */
export function servingCertFits(pem: string, sans: string[]): boolean {
  try {
    const cert = new X509Certificate(pem);
    if (Date.parse(cert.validTo) < Date.now() + RENEW_DAYS * 86_400_000) return false;
    const have = new Set((cert.subjectAltName ?? '').split(',').map((s) => s.trim().replace(/^IP Address:/, 'IP:')));
    return sans.every((s) => have.has(sanEntry(s)));
  } catch { return false; }
}

async function createCa(pkiDir: string): Promise<void> {
  await inTemp(pkiDir, async (tmp) => {
    await writeFile(path.join(tmp, 'ca.cnf'), [
      '[req]', 'distinguished_name = dn', 'prompt = no', 'x509_extensions = v3_ca', '[dn]', 'CN = lantern-ca',
      '[v3_ca]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign, digitalSignature',
      'subjectKeyIdentifier = hash', '',
    ].join('\n'));
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key'], tmp);
    await openssl(['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', String(CA_DAYS), '-config', 'ca.cnf', '-set_serial', serial(), '-out', 'ca.crt'], tmp);
    await install(tmp, pkiDir, 'ca.key', 0o600);
    await install(tmp, pkiDir, 'ca.crt', 0o644);
  });
}

async function createServing(pkiDir: string, sans: string[]): Promise<void> {
  await inTemp(pkiDir, async (tmp) => {
    await writeFile(path.join(tmp, 'server.cnf'), [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = lanternd',
      '[v3_server]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth', `subjectAltName = ${sans.map(sanEntry).join(', ')}`, '',
    ].join('\n'));
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'server.key'], tmp);
    await openssl(['req', '-new', '-key', 'server.key', '-config', 'server.cnf', '-out', 'server.csr'], tmp);
    await openssl(['x509', '-req', '-in', 'server.csr', '-CA', path.join(pkiDir, 'ca.crt'), '-CAkey', path.join(pkiDir, 'ca.key'),
      '-set_serial', serial(), '-days', String(SERVING_DAYS), '-sha256', '-extfile', 'server.cnf', '-extensions', 'v3_server', '-out', 'server.crt'], tmp);
    await install(tmp, pkiDir, 'server.key', 0o600);
    await install(tmp, pkiDir, 'server.crt', 0o644);
  });
}

const serial = (): string => `0x${randomBytes(16).toString('hex').replace(/^./, '1')}`;

async function inTemp(pkiDir: string, fn: (tmp: string) => Promise<void>): Promise<void> {
  // A temp dir inside pki/ so the final rename stays on one file system; 0700 keeps keys private meanwhile.
  const tmp = await mkdtemp(path.join(pkiDir, '.tmp-'));
  try { await fn(tmp); } finally { await rm(tmp, { recursive: true, force: true }); }
}

async function install(tmp: string, pkiDir: string, name: string, mode: number): Promise<void> {
  await chmod(path.join(tmp, name), mode);
  await rename(path.join(tmp, name), path.join(pkiDir, name));
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(() => true, () => false);
}
