/**
 * Client certificates as identities (Kubernetes' x509 authenticator): a certificate the cluster CA
 * signed names the user (subject CN) and its groups (each subject O). The TLS server asks for a
 * certificate without requiring one (requestCert, rejectUnauthorized: false), so token clients are
 * untouched; OpenSSL's verdict on the chain and dates (socket.authorized) decides here.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '../../api/errors.js';
import type { Identity } from '../http/auth.js';
import { authenticatedGroup } from './names.js';

/** The subject's CN and O values of a peer certificate as Node.js reports them (a repeated field is an array). */
function values(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The identity of the request's client certificate; undefined when none came; Unauthorized for one the CA did not sign or that expired. */
export async function clientCertIdentity(req: IncomingMessage): Promise<Identity | undefined> {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  if (socket.authorized !== true) {
    const why = String(socket.authorizationError ?? 'not verified');
    // The common case said plainly: a short --ttl ran out (there is no other revocation of certificates).
    if (why === 'CERT_HAS_EXPIRED') throw new ApiError('Unauthorized', `the client certificate of ${JSON.stringify(cert.subject?.CN ?? '')} expired at ${cert.valid_to}: ask an admin for a new user config ("lcctl create user NAME --ttl D")`);
    throw new ApiError('Unauthorized', `the client certificate (CN ${JSON.stringify(cert.subject?.CN ?? '')}) is not valid for this server: ${why}; ask an admin for a new user config ("lcctl create user NAME")`);
  }
  const cn = values(cert.subject?.CN)[0];
  if (cn === undefined || cn === '') throw new ApiError('Unauthorized', 'the client certificate names no user (its subject has no CN)');
  const groups = [...values(cert.subject?.O), authenticatedGroup];
  return { name: cn, role: 'user', groups };
}
