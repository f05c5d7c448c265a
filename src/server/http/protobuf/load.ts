/**
 * Loads Kubernetes' own generated.proto files (proto/k8s/k8s.io/..., kept as the official text of
 * kubernetes/api and kubernetes/apimachinery v0.32.0) with protobufjs, once, on the first protobuf
 * request: a server that never sees one never pays for the parse.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The group/versions whose kinds can arrive as protobuf, and the proto package of each. */
export const protoPackages: Readonly<Record<string, string>> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'scheduling.k8s.io/v1': 'k8s.io.api.scheduling.v1',
  'autoscaling/v2': 'k8s.io.api.autoscaling.v2',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'authorization.k8s.io/v1': 'k8s.io.api.authorization.v1',
};

const files = ['api/core/v1', 'api/apps/v1', 'api/batch/v1', 'api/policy/v1', 'api/scheduling/v1', 'api/autoscaling/v2', 'api/autoscaling/v1', 'api/rbac/v1', 'api/authorization/v1'].map((p) => `k8s.io/${p}/generated.proto`);

/** proto/k8s at the package root: the first folder above this file that holds it (src/... or dist/src/...). */
function protoDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'proto', 'k8s');
    if (existsSync(path.join(candidate, 'k8s.io')) && existsSync(path.join(dir, 'package.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('proto/k8s not found above the lanternd installation');
    dir = up;
  }
}

let root: protobuf.Root | undefined;

/** The loaded root holding k8s.io.api.* and k8s.io.apimachinery.* (parsed on first use). */
export function kubeProtos(): protobuf.Root {
  if (root !== undefined) return root;
  const base = protoDir();
  const r = new protobuf.Root();
  // Imports name "k8s.io/apimachinery/..." as Go's module paths do: resolve them under proto/k8s.
  r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(base, target));
  r.loadSync(files, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}
