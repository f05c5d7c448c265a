/** Build the API client from flags, environment and config file. */
import { homedir } from 'node:os';
import type { HttpClient } from '../client/http-client.js';
import { clientFor } from '../client/multi-server.js';
import type { Parsed } from './args.js';
import { resolveConfig } from './config.js';
import { warningPrinter } from './output/warnings.js';

/** An HttpClient for the server the user addressed. */
export function connect(p: Parsed): HttpClient {
  const cfg = resolveConfig({ server: p.str('server'), token: p.str('token') }, process.env, process.env.HOME ?? homedir());
  // LANTERN_SERVER=URL1,URL2 (or a config file's servers: list): one client over every server (client/multi-server.ts).
  return clientFor({
    server: cfg.server, token: cfg.token,
    ...(cfg.ca === undefined ? {} : { ca: cfg.ca }), ...(cfg.cert === undefined ? {} : { cert: cfg.cert, key: cfg.key }),
    onWarning: warningPrinter(),
  });
}

/** The namespace a verb works in: -n, else "default". */
export function namespaceOf(p: Parsed): string {
  return p.str('namespace') || 'default';
}
