import path from 'node:path';
import { defaultSans, ensureServerPki } from './pki/pki.js';
import { loadOrCreateJoinToken } from './credentials.js';

/** How the server is reached and what it hands to agents. */
export interface ServerSecurity {
  scheme: 'https' | 'http';
  /** Key and serving certificate for HTTPS (absent with --insecure-http). */
  tls?: { key: string; cert: string };
  /** The CA bundle (PEM) served at /cacerts and written into admin.yaml as caData. */
  caCert: string;
  /** The node join token (DATA_DIR/node-token). */
  joinToken: string;
}

/** Create or load DATA_DIR/pki and DATA_DIR/node-token; the CA exists even with --insecure-http so tokens keep one format. */
export async function serverSecurity(dataDir: string, opts: { insecureHttp: boolean; tlsSans: string[] }): Promise<ServerSecurity> {
  const pki = await ensureServerPki(path.join(dataDir, 'pki'), defaultSans(opts.tlsSans));
  const joinToken = await loadOrCreateJoinToken(path.join(dataDir, 'node-token'), pki.caCert);
  if (opts.insecureHttp) return { scheme: 'http', caCert: pki.caCert, joinToken };
  return { scheme: 'https', tls: { key: pki.serverKey, cert: pki.serverCert }, caCert: pki.caCert, joinToken };
}
