/** The `embedded-etcd` component: with --cluster-init or --server, the etcd member starts before the store. */
import type { ServerConfig } from '../server-config.js';
import { defaultSans } from '../pki/pki.js';
import type { Component } from '../components/component.js';
import { embeddedEtcdKey } from '../components/keys.js';
import { startEmbeddedEtcd, type EmbeddedEtcd } from './embedded-etcd.js';

/** Runs and supervises this server's etcd member; stopping the server stops it (after the store closed). */
export const embeddedEtcd: Component<ServerConfig, EmbeddedEtcd> = {
  key: embeddedEtcdKey,
  requires: [],
  enabled: (config) => config.embeddedEtcd !== undefined,
  async start({ config }) {
    const e = await startEmbeddedEtcd(config.dataDir, config.embeddedEtcd!, defaultSans(config.tlsSans), (l) => console.error(`lanternd: ${l}`));
    return { value: e, stop: () => e.stop() };
  },
};
