/** The API service over the store: Secrets encryption, the built-in priority classes, the node registry. */
import { ApiService } from '../../server/api-service.js';
import { NodeRegistry } from '../../server/node-registry.js';
import { ensureSystemPriorityClasses } from '../../server/system-priority-classes.js';
import { ensureDefaultRuntimeClasses } from '../../server/default-runtime-classes.js';
import { adoptUsedNamespaces, ensureSystemNamespaces } from '../../server/namespace-lifecycle.js';
import { encryptionConfigPath, SecretsEncryption } from '../../server/encryption/secrets-encryption.js';
import type { ServerConfig } from '../server-config.js';
import { defaultServiceRanges } from '../../server/services/ranges.js';
import type { Component } from './component.js';
import { apiKey, metricsKey, nodesKey, priorityClassesKey, secretsEncryptionKey } from './keys.js';

/** SecretsEncryption with the keys in DATA_DIR/cred/encryption-config.json; warns at start when asked to. */
export const secretsEncryption: Component<ServerConfig, SecretsEncryption> = {
  key: secretsEncryptionKey,
  requires: [metricsKey],
  async start({ get, config }) {
    const encryption = await SecretsEncryption.open({ store: get(metricsKey).store, file: encryptionConfigPath(config.dataDir), enabled: config.secretsEncryption });
    const warning = await encryption.startupWarning();
    if (warning !== undefined) console.error(`lanternd: WARNING: ${warning}`);
    return { value: encryption };
  },
};

/** The API service over the timed store. */
export const api: Component<ServerConfig, ApiService> = {
  key: apiKey,
  requires: [metricsKey, secretsEncryptionKey],
  start: async ({ get, config }) => {
    const api = new ApiService(get(metricsKey).store, {
      namespaceLifecycle: true,
      tenancy: { podSecurity: config.podSecurity ?? { enforce: 'baseline' } },
      transformers: get(secretsEncryptionKey).transformers(),
      serviceRanges: { serviceCidr: config.network?.serviceCidr ?? defaultServiceRanges.serviceCidr, nodePorts: config.nodePortRange ?? defaultServiceRanges.nodePorts },
      reservedRanges: [
        { cidr: config.network?.clusterCidr ?? '10.42.0.0/16', what: 'the cluster pod range (--cluster-cidr)' },
        { cidr: config.network?.serviceCidr ?? defaultServiceRanges.serviceCidr, what: 'the service range (--service-cidr)' },
      ],
    });
    // Before anything creates objects in them (namespace-lifecycle.ts refuses a missing namespace);
    // the first start that makes them also adopts the namespaces an older data directory's objects use.
    if ((await ensureSystemNamespaces(api)).includes('default')) await adoptUsedNamespaces(api);
    return { value: api };
  },
};

/** system-cluster-critical and system-node-critical. */
export const priorityClasses: Component<ServerConfig, string[]> = {
  key: priorityClassesKey,
  requires: [apiKey],
  // The default RuntimeClasses (runc, runsc) are stored here too: the same kind of start-up object.
  start: async ({ get }) => { await ensureDefaultRuntimeClasses(get(apiKey)); return { value: await ensureSystemPriorityClasses(get(apiKey)) }; },
};

/** The node registry. */
export const nodes: Component<ServerConfig, NodeRegistry> = {
  key: nodesKey,
  requires: [],
  start: () => ({ value: new NodeRegistry() }),
};
