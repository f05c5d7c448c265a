/** The `default/kubernetes` Service, made or brought up to date at server start (as kube-apiserver does). */
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ensureKubernetesService } from '../../server/services/kubernetes-service.js';
import { defaultServiceRanges } from '../../server/services/ranges.js';
import type { ServerConfig } from '../server-config.js';
import { key, type Component } from './component.js';
import { apiKey, apiServerKey } from './keys.js';

/** The address pods reach the API server at: --listen's host, or this machine's first non-loopback IPv4 when that is a wildcard or loopback. */
export function advertisedAddress(host: string): string {
  if (host !== '0.0.0.0' && host !== '' && !host.startsWith('127.') && host !== 'localhost' && /^[0-9.]+$/.test(host)) return host;
  for (const addrs of Object.values(networkInterfaces())) {
    const found = (addrs ?? []).find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

/** The port the API server really listens on (--listen may say 0). */
function boundPort(addr: string | AddressInfo | null, fallback: number): number {
  return typeof addr === 'object' && addr !== null ? addr.port : fallback;
}

/** default/kubernetes: ClusterIP .1 of --service-cidr, port 443 to the API server. */
export const kubernetesService: Component<ServerConfig, string> = {
  key: key<string>('kubernetes-service'),
  requires: [apiKey, apiServerKey],
  async start({ get, config }) {
    const ranges = { serviceCidr: config.network?.serviceCidr ?? defaultServiceRanges.serviceCidr, nodePorts: config.nodePortRange ?? defaultServiceRanges.nodePorts };
    const svc = await ensureKubernetesService(get(apiKey), ranges, { ip: advertisedAddress(config.listen.host), port: boundPort(get(apiServerKey).server.address(), config.listen.port) });
    return { value: svc.spec.clusterIP ?? '' };
  },
};
