/**
 * `lanternd agent --server URL1,URL2,...`: join through the first server that answers, then talk to
 * every server of the list through one MultiServerClient (issue 16 item 3). All servers of an HA
 * control plane share one CA and one store, so the CA pinned and the credential issued by one hold
 * for the others.
 */
import type { ClientConfig, HttpClient } from '../client/http-client.js';
import { clientFor, serverList } from '../client/multi-server.js';
import { joinServer } from './join.js';

/** What joinServer takes, with `server` a comma-separated list. */
export type JoinServersOptions = Parameters<typeof joinServer>[0];

/**
 * Join through each server in turn until one takes the join; the returned config names every
 * server, the one that answered first. The last server's error is thrown when none answers.
 */
export async function joinServers(opts: JoinServersOptions): Promise<ClientConfig> {
  const servers = serverList(opts.server);
  let last: unknown = new Error('no server given');
  for (let i = 0; i < servers.length; i++) {
    try {
      const config = await joinServer({ ...opts, server: servers[i]! });
      return { ...config, server: [...servers.slice(i), ...servers.slice(0, i)].join(',') };
    } catch (e) {
      last = e;
      if (i + 1 < servers.length) (opts.log ?? ((m: string) => console.error(`lanternd agent: ${m}`)))(`joining through ${servers[i]!} failed (${e instanceof Error ? e.message : String(e)}); trying ${servers[i + 1]!}`);
    }
  }
  throw last;
}

/** The agent's client: every server of the config (clientFor), or the one. */
export function agentClient(config: ClientConfig): HttpClient { return clientFor(config); }
