/**
 * GET /version in Kubernetes' version.Info shape (kubectl version and the client libraries parse it),
 * plus lcctl's own `version` field. Lantern reports the Kubernetes API level it serves (its kinds
 * follow v1.32's) with its own version as build metadata, as k3s does (v1.32.0+k3s1).
 */

/** The Kubernetes API level Lantern's kinds follow. */
export const kubernetesLevel = { major: '1', minor: '32' } as const;

/** The body of GET /version. */
export function versionInfo(lanternVersion: string): Record<string, string> {
  const platform = `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return {
    major: kubernetesLevel.major,
    minor: kubernetesLevel.minor,
    gitVersion: `v${kubernetesLevel.major}.${kubernetesLevel.minor}.0+lantern-${lanternVersion}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: `node${process.version}`,
    compiler: 'tsc',
    platform,
    version: lanternVersion,
  };
}
