/**
 * HA (issue 16 item 3): with a shared store (etcd) each server records itself and the node tunnels it
 * holds, and reaches a node whose tunnel another server holds through that server's relay route.
 */
import { networkInterfaces } from 'node:os';
import { PeerServers } from '../../server/tunnel/peer-servers.js';
import { RelayDialer } from '../../server/tunnel/relay.js';
import type { ServerConfig } from '../server-config.js';
import { key, type Component } from './component.js';
import { apiServerKey, nodesKey, securityKey, storeKey } from './keys.js';

/** This server among its peers: its record, credential and the cluster's tunnel holders. */
export const peerServersKey = key<PeerServers>('peer-servers');

/**
 * The URL peers reach this server by: its API URL, with a wildcard listen address (shown as
 * 127.0.0.1) replaced by this machine's first non-loopback IPv4 address.
 */
export function advertiseUrl(apiUrl: string, wildcard: boolean): string {
  if (!wildcard) return apiUrl;
  const ip = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
  if (ip === undefined) return apiUrl;
  const u = new URL(apiUrl);
  u.hostname = ip;
  return u.toString().replace(/\/$/, '');
}

/** On with a shared store (--datastore-endpoint or embedded etcd): with SQLite there is one server. */
export const peerServers: Component<ServerConfig, PeerServers> = {
  key: peerServersKey,
  requires: [storeKey, nodesKey, apiServerKey, securityKey],
  enabled: (config) => config.datastore?.etcd !== undefined,
  async start({ get, config }) {
    const nodes = get(nodesKey);
    const security = get(securityKey);
    const peers = new PeerServers(get(storeKey), advertiseUrl(get(apiServerKey).url, config.listen.host === '0.0.0.0'));
    await peers.start();
    const relays = new RelayDialer(peers, security.tls ? security.caCert : undefined);
    const record = (node: string, up: boolean): void => {
      void (up ? peers.tunnelUp(node) : peers.tunnelDown(node)).catch((e: unknown) => console.error(`lanternd: recording node ${node}'s tunnel ${up ? 'here' : 'gone'} failed: ${String(e)}`));
    };
    const off = nodes.onTunnel(record);
    // Tunnels that came up between the HTTP server's start and this one.
    for (const node of nodes.names()) if (nodes.tunnel(node) !== undefined) record(node, true);
    nodes.reachElsewhere((node) => relays.servicesFor(node));
    console.error(`lanternd: server ${peers.name} at ${peers.url} relays to nodes whose tunnel another server holds`);
    return {
      value: peers,
      stop: async () => { off(); nodes.reachElsewhere(undefined); relays.close(); await peers.stop(); },
    };
  },
};
