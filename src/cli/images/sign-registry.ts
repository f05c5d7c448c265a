/**
 * How lcctl's signing verbs reach an image's registry directly (not through the server): lcctl's own
 * server's registry with the config's CA and token (or the saved login), any other with the saved
 * login, loopback and LANTERN_INSECURE_REGISTRIES ones over plain HTTP when HTTPS cannot connect.
 */
import { homedir } from 'node:os';
import { sameRegistryHost, type RegistryAuth } from '../../api/registry-auth.js';
import { RegistryClient } from '../../image/signing/client.js';
import type { Parsed } from '../args.js';
import { resolveConfig } from '../config.js';
import { loadCredential, registryOfRef } from '../distribution/credentials.js';
import { insecureFromEnv } from '../distribution/login-check.js';

/** A registry client for the registry REF names, with the user's credentials for it. */
export function signingClient(p: Parsed, ref: string, domain: string): RegistryClient {
  const host = registryOfRef(ref);
  const cfg = resolveConfig({ server: p.str('server'), token: p.str('token') }, process.env, process.env.HOME ?? homedir());
  const cred = loadCredential(host);
  const own = sameRegistryHost(host, new URL(cfg.server).host);
  let auth: RegistryAuth | undefined;
  if (cred) auth = { username: cred.username, password: cred.password };
  else if (own && cfg.token) auth = { registrytoken: cfg.token };
  if (own) return new RegistryClient(domain, { scheme: new URL(cfg.server).protocol === 'https:' ? 'https' : 'http', ...(cfg.ca ? { ca: cfg.ca } : {}), ...(auth ? { auth } : {}) });
  return new RegistryClient(domain, { insecureRegistries: insecureFromEnv(process.env), ...(auth ? { auth } : {}) });
}
