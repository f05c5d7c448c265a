/**
 * `lanternd server`'s embedded etcd flags, named as k3s names them: --cluster-init (the first server
 * runs an etcd member), --server URL --token T (a further server joins the etcd cluster and the
 * control plane), with the ports and the address the members reach each other by.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlagError } from '../flags.js';
import { parseServerToken, type ServerToken } from './server-token.js';

/** How this server runs its etcd member. */
export interface EmbeddedEtcdConfig {
  /** init: a new one-member cluster (or a restart of any member); join: become a member of --server's cluster. */
  mode: 'init' | 'join';
  /** DATA_DIR/etcd: the member's data and its certificates. */
  dir: string;
  /** DATA_DIR/pki: the cluster CA every member's certificates are signed by. */
  pkiDir: string;
  clientPort: number;
  peerPort: number;
  /** The address the other members and servers reach this one by (peer URL, client URL, registry). */
  advertiseAddress: string;
  /** --server: the server to join through (mode join). */
  server?: string;
  /** --token: the first server's DATA_DIR/server-token (mode join). */
  token?: ServerToken;
  /** --cluster-reset: make this member the only one before it starts (restoreFrom: an etcd snapshot first). */
  reset?: { restoreFrom?: string };
}

/** The flags' types for parseFlags. */
export const embeddedEtcdFlags = {
  'cluster-init': 'boolean', server: 'string', token: 'string', 'token-file': 'string',
  'etcd-client-port': 'string', 'etcd-peer-port': 'string', 'advertise-address': 'string',
} as const;

/** Their lines in --help. */
export const embeddedEtcdFlagsUsage = `  --cluster-init        run an embedded etcd member beside this server (Debian's etcd; data in DATA_DIR/etcd,
                        TLS from the cluster CA); the first server of an HA cluster
  --server URL --token T  join the HA cluster of the server at URL (T: its DATA_DIR/server-token; or --token-file)
  --etcd-client-port N  the embedded member's client port (default 2379); --etcd-peer-port N its peer port (default 2380)
  --advertise-address IP  the address other servers reach this one by (default: --listen's host, else the first IPv4)
  --cluster-init --cluster-reset [--cluster-reset-restore-path FILE]  quorum lost for good: make this member the
                        only one (data kept), or restore an etcd snapshot first
`;

const port = (flags: Record<string, string | boolean | undefined>, name: string, dflt: number): number => {
  const text = flags[name];
  if (text === undefined) return dflt;
  const n = Number(text);
  if (typeof text !== 'string' || !Number.isInteger(n) || n < 1 || n > 65535) throw new FlagError(`--${name}: expected a port from 1 to 65535, got "${String(text)}"`);
  return n;
};

/** The first non-internal IPv4 of this machine, else 127.0.0.1. */
function firstIpv4(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/**
 * Parses and checks the flags; undefined when neither --cluster-init nor --server is given.
 * --token-file is read here, so a missing file fails before anything starts.
 */
export function embeddedEtcdFromFlags(flags: Record<string, string | boolean | undefined>, dataDir: string, listenHost: string): EmbeddedEtcdConfig | undefined {
  const init = flags['cluster-init'] === true;
  const server = typeof flags.server === 'string' ? flags.server : undefined;
  const tokenFile = typeof flags['token-file'] === 'string' ? flags['token-file'] : undefined;
  let tokenText = typeof flags.token === 'string' ? flags.token : undefined;
  if (tokenFile !== undefined && tokenText === undefined) {
    try { tokenText = readFileSync(tokenFile, 'utf8').trim(); } catch (err) {
      throw new FlagError(`--token-file ${tokenFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}: give the first server's DATA_DIR/server-token`);
    }
  }
  if (!init && server === undefined) {
    for (const n of ['token', 'token-file', 'etcd-client-port', 'etcd-peer-port', 'advertise-address']) {
      if (flags[n] !== undefined) throw new FlagError(`--${n} only applies with --cluster-init or --server`);
    }
    return undefined;
  }
  if (init && server !== undefined) throw new FlagError('--cluster-init and --server exclude each other: the first server runs --cluster-init, the others --server URL --token T');
  if (flags['datastore-endpoint'] !== undefined) throw new FlagError('--datastore-endpoint and the embedded etcd (--cluster-init, --server) exclude each other: use one store');
  const advertise = typeof flags['advertise-address'] === 'string' ? flags['advertise-address']
    : listenHost !== '0.0.0.0' && listenHost !== '::' ? listenHost : firstIpv4();
  if (!/^[0-9.]+$/.test(advertise) && !/^[a-z0-9.-]+$/i.test(advertise)) throw new FlagError(`--advertise-address: "${advertise}" is not an IP address or host name`);
  const out: EmbeddedEtcdConfig = {
    mode: init ? 'init' : 'join',
    dir: path.join(dataDir, 'etcd'),
    pkiDir: path.join(dataDir, 'pki'),
    clientPort: port(flags, 'etcd-client-port', 2379),
    peerPort: port(flags, 'etcd-peer-port', 2380),
    advertiseAddress: advertise,
  };
  if (flags['cluster-reset'] === true) {
    if (!init) throw new FlagError('--cluster-reset: start the surviving server with --cluster-init --cluster-reset (not --server): it keeps its data and becomes the only member');
    const restore = flags['cluster-reset-restore-path'];
    out.reset = typeof restore === 'string' ? { restoreFrom: path.resolve(restore) } : {};
  } else if (flags['cluster-reset-restore-path'] !== undefined) throw new FlagError('--cluster-reset-restore-path only applies with --cluster-reset');
  if (out.clientPort === out.peerPort) throw new FlagError('--etcd-client-port and --etcd-peer-port must differ');
  if (server !== undefined) {
    if (!/^https:\/\/[^/\s]+\/?$/.test(server)) throw new FlagError(`--server: "${server}" is not a server URL such as https://10.0.0.1:6443 (HTTPS: the join carries the cluster's keys)`);
    if (tokenText === undefined) throw new FlagError('--server needs --token T or --token-file FILE: the first server\'s DATA_DIR/server-token');
    try { out.token = parseServerToken(tokenText); } catch (err) { throw new FlagError(`--token: ${err instanceof Error ? err.message : String(err)}`); }
    out.server = server.replace(/\/+$/, '');
  } else if (tokenText !== undefined) {
    throw new FlagError('--token only applies with --server (a --cluster-init server makes its own DATA_DIR/server-token)');
  }
  return out;
}

/** The store options the embedded member gives the server: its own client URL, TLS from the cluster CA. */
export function embeddedDatastore(e: EmbeddedEtcdConfig): { endpoints: string[]; cafile: string; certfile: string; keyfile: string } {
  return {
    endpoints: [`https://127.0.0.1:${e.clientPort}`],
    cafile: path.join(e.pkiDir, 'ca.crt'),
    certfile: path.join(e.dir, 'pki', 'etcd.crt'),
    keyfile: path.join(e.dir, 'pki', 'etcd.key'),
  };
}
