/** The informers the in-process controllers share: one list and one watch per resource for all of them. */
import { InformerFactory } from '../../client/kit/index.js';
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { apiKey, informersKey } from './keys.js';

/** An InformerFactory over the in-process API; each informer starts when a controller first needs it. */
export const informers: Component<ServerConfig, InformerFactory> = {
  key: informersKey,
  requires: [apiKey],
  start({ get }) {
    const factory = new InformerFactory({ api: get(apiKey) });
    return { value: factory, stop: () => factory.stop() };
  },
};
