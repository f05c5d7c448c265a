/** TLS and tokens: the server's PKI and join token, and who may call it. */
import { serverSecurity, type ServerSecurity } from '../security.js';
import { serverCredentials, type ServerCredentials } from '../server-credentials.js';
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { credentialsKey, nodesKey, securityKey, storeKey } from './keys.js';

/** The PKI (the CA exists even with --insecure-http, so tokens keep one format). */
export const security: Component<ServerConfig, ServerSecurity> = {
  key: securityKey,
  requires: [],
  async start({ config }) {
    const s = await serverSecurity(config.dataDir, { insecureHttp: config.insecureHttp, tlsSans: config.tlsSans });
    if (!s.tls) console.error('lanternd: WARNING: --insecure-http: serving plain HTTP; tokens and credentials cross the network in clear text');
    return { value: s };
  },
};

/** The authenticator and credential routes; the server's own node reserved. */
export const credentials: Component<ServerConfig, ServerCredentials> = {
  key: credentialsKey,
  requires: [storeKey, securityKey, nodesKey],
  start: async ({ get, config }) => ({
    value: await serverCredentials({
      store: get(storeKey), dataDir: config.dataDir, security: get(securityKey), nodes: get(nodesKey),
      joinRateLimit: config.joinRateLimit, writeUserConfig: config.defaultDataDir, ownNode: config.node?.nodeName,
    }),
  }),
};
