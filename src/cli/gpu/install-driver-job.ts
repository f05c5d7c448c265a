/**
 * The Job that installs the NVIDIA driver on one node: pinned to it (spec.nodeName), privileged, the
 * host's root mounted at /host, and `chroot /host sh -c SCRIPT` running the distribution's packages.
 */
import type { Job } from '../../api/schema/job.js';

/** The label every Job of one install-driver run carries (its operation id). */
export const operationLabel = 'lantern.dev/gpu-install-driver';

/**
 * The install script, run on the host (in the chroot): Debian's nvidia-driver package (non-free),
 * Ubuntu's nvidia-driver-MAJOR, and a clear failure for other distributions, naming what they need.
 */
export function installScript(version: string | undefined): string {
  const v = version ?? '';
  return [
    'set -e',
    `V='${v.replace(/[^0-9.]/g, '')}'`,
    '. /etc/os-release',
    'export DEBIAN_FRONTEND=noninteractive',
    'case "$ID" in',
    '  debian) apt-get update && apt-get install -y --no-install-recommends "nvidia-driver${V:+=$V*}" nvidia-smi ;;',
    '  ubuntu) apt-get update && apt-get install -y --no-install-recommends "nvidia-driver-${V:-535}" ;;',
    '  *) echo "lantern: $ID is not handled: install the NVIDIA driver with its packages (RHEL/Rocky: dnf module install nvidia-driver:${V:-latest}-dkms; SLES: zypper install nvidia-open-driver-G06-signed-kmp; Fedora: dnf install akmod-nvidia from RPM Fusion)" >&2; exit 3 ;;',
    'esac',
    'echo "lantern: driver installed; the node finds its GPUs at its next discovery"',
  ].join('\n');
}

/** What the Job runs with. */
export interface InstallJobOptions {
  node: string;
  operation: string;
  /** The image with /bin/sh and chroot (busybox will do: the work happens on the host). */
  image: string;
  /** The shell script run on the host. */
  script: string;
}

/** The Job for one node. */
export function installJob(o: InstallJobOptions): Job {
  const name = `gpu-driver-${o.node}`.slice(0, 52).replace(/[^a-z0-9-]/g, '-').replace(/-+$/, '') + `-${o.operation}`;
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name, namespace: 'default', labels: { [operationLabel]: o.operation, 'lantern.dev/node': o.node } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { [operationLabel]: o.operation } },
        spec: {
          nodeName: o.node,
          restartPolicy: 'Never',
          tolerations: [{ operator: 'Exists' }],
          containers: [{
            name: 'install', image: o.image, imagePullPolicy: 'IfNotPresent',
            command: ['chroot', '/host', '/bin/sh', '-c', o.script],
            securityContext: { privileged: true },
            volumeMounts: [{ name: 'host', mountPath: '/host' }],
          }],
          volumes: [{ name: 'host', hostPath: { path: '/' } }],
        },
      },
    },
  } as Job;
}
