/**
 * `--insecure-registry HOST[:PORT],...`: registries the node may reach over plain HTTP (loopback
 * ones always may). The image code reads the list from LANTERN_INSECURE_REGISTRIES when it pulls or
 * pushes, so the flag adds to that variable for this process.
 */
export function applyInsecureRegistries(flag: string | boolean | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (typeof flag !== 'string' || flag.trim() === '') return [];
  const given = flag.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = given.find((r) => !/^[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(r));
  if (bad !== undefined) throw new Error(`--insecure-registry: "${bad}" is not HOST or HOST:PORT`);
  const all = new Set([...(env.LANTERN_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean), ...given]);
  env.LANTERN_INSECURE_REGISTRIES = [...all].join(',');
  return given;
}
