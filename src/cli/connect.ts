/** Build the API client from flags, environment and config file. */
import { homedir } from 'node:os';
import { HttpClient } from '../client/http-client.js';
import type { Parsed } from './args.js';
import { resolveConfig } from './config.js';

/** An HttpClient for the server the user addressed. */
export function connect(p: Parsed): HttpClient {
  const cfg = resolveConfig({ server: p.str('server'), token: p.str('token') }, process.env, process.env.HOME ?? homedir());
  return new HttpClient(cfg.ca === undefined ? { server: cfg.server, token: cfg.token } : { server: cfg.server, token: cfg.token, ca: cfg.ca });
}

/** The namespace a verb works in: -n, else "default". */
export function namespaceOf(p: Parsed): string {
  return p.str('namespace') || 'default';
}
