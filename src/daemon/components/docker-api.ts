/** The Docker Engine API on --docker-socket, for this machine's node (src/server/docker-api). */
import path from 'node:path';
import { startDockerApi, type DockerApiServer } from '../../server/docker-api/server.js';
import type { ServerConfig } from '../server-config.js';
import { VERSION } from '../version.js';
import { key, type Component } from './component.js';
import { apiKey, nodeKey } from './keys.js';

/** The listening Docker API. */
export const dockerApiKey = key<DockerApiServer>('docker-api');

/** Serves the node's containers to Docker's clients; needs this machine's node (not with --no-agent). */
export const dockerApi: Component<ServerConfig, DockerApiServer> = {
  key: dockerApiKey,
  requires: [apiKey, nodeKey],
  enabled: (config) => config.dockerSocket !== undefined,
  async start({ get, config }) {
    if (!config.node) throw new Error('--docker-socket serves this machine\'s containers: it cannot be used with --no-agent');
    const node = get(nodeKey);
    const api = await startDockerApi({
      api: get(apiKey), node: node.agent.services, nodeName: config.node.nodeName, version: VERSION,
      dataDir: path.resolve(config.node.dataDir), execs: new Map(),
    }, config.dockerSocket!);
    console.error(`lanternd: serving the Docker Engine API on ${api.socketPath}`);
    return { value: api, stop: () => api.close() };
  },
};
