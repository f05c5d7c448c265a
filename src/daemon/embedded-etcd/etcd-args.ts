/** The etcd command line of the embedded member (pure, so a test can read it). */
import path from 'node:path';
import type { EtcdCertFiles } from './certs.js';

/** What the member is started with. */
export interface MemberSpec {
  name: string;
  dataDir: string;
  clientPort: number;
  peerPort: number;
  advertiseAddress: string;
  certs: EtcdCertFiles;
  /** A new member: how it starts (absent: a restart on its own data, which etcd reads instead). */
  initial?: { state: 'new' | 'existing'; cluster: string };
}

/** This member's peer URL. */
export const peerUrl = (address: string, port: number): string => `https://${address}:${port}`;

/** etcd's flags: client TLS with client certificates from the CA, peer TLS likewise, loopback plus the advertised address. */
export function etcdArgs(m: MemberSpec): string[] {
  const client = [`https://127.0.0.1:${m.clientPort}`];
  if (m.advertiseAddress !== '127.0.0.1') client.push(`https://${m.advertiseAddress}:${m.clientPort}`);
  const peer = peerUrl(m.advertiseAddress, m.peerPort);
  const { cert, key, ca } = m.certs;
  const args = [
    '--name', m.name, '--data-dir', path.join(m.dataDir, 'data'),
    '--listen-client-urls', client.join(','), '--advertise-client-urls', client[client.length - 1]!,
    '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
    '--cert-file', cert, '--key-file', key, '--trusted-ca-file', ca, '--client-cert-auth',
    '--peer-cert-file', cert, '--peer-key-file', key, '--peer-trusted-ca-file', ca, '--peer-client-cert-auth',
    '--logger', 'zap', '--log-level', 'warn', '--enable-pprof=false',
  ];
  if (m.initial) args.push('--initial-cluster', m.initial.cluster, '--initial-cluster-state', m.initial.state);
  return args;
}
