/**
 * `--insecure-registry HOST[:PORT],...` plus LANTERN_INSECURE_REGISTRIES (the same list, from the
 * environment): registries the node may reach over plain HTTP after HTTPS fails (loopback ones
 * always may). The daemon reads both once at start and hands the list to the node's components.
 */
export function insecureRegistries(flag: string | boolean | undefined, env: NodeJS.ProcessEnv): string[] {
  const given = typeof flag === 'string' ? flag.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const bad = given.find((r) => !/^[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(r));
  if (bad !== undefined) throw new Error(`--insecure-registry: "${bad}" is not HOST or HOST:PORT`);
  return [...new Set([...(env.LANTERN_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean), ...given])];
}
