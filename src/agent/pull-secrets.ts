/**
 * A pod's imagePullSecrets (kubernetes.io/dockerconfigjson) turned into the credentials for one
 * image's registry, as the kubelet's keyring does: the secrets are tried in the pod's order and the
 * first whose `auths` names the image's registry host wins. A secret that is missing or malformed is
 * skipped with a reason (the pull then goes anonymously and fails with the registry's 401).
 */
import type { Pod } from '../api/pod.js';
import type { RegistryAuth } from '../api/registry-auth.js';
import type { Secret } from '../api/schema/config.js';
import { parseReference } from '../image/reference.js';
import { parseDockerConfigJson, registryHostOf } from '../api/docker-config-json.js';

/** How the agent reads a Secret of the pod's namespace (its watched config cache). */
export type SecretReader = (name: string, namespace: string) => Promise<Secret>;

/** The credentials for ref from the pod's pull secrets; undefined when none names its registry. */
export async function pullAuthFor(pod: Pod, ref: string, read: SecretReader, log: (m: string) => void): Promise<RegistryAuth | undefined> {
  const names = (pod.spec.imagePullSecrets ?? []).map((s) => s.name);
  if (names.length === 0) return undefined;
  const host = registryHostOf(parseReference(ref).domain);
  for (const name of names) {
    let secret: Secret;
    try {
      secret = await read(name, pod.metadata.namespace ?? 'default');
    } catch (e) {
      log(`pod ${pod.metadata.name}: imagePullSecret ${name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const parsed = parseDockerConfigJson(secret.type, secret.data?.['.dockerconfigjson']);
    if ('error' in parsed) { log(`pod ${pod.metadata.name}: imagePullSecret ${name}: ${parsed.error}`); continue; }
    const auth = parsed.auths.get(host);
    if (auth) return auth;
  }
  return undefined;
}
