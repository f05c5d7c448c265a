import net from 'node:net';
import { ApiError } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';

/** How long a connection to a pod's port may take before port-forward gives up. */
const connectTimeoutMs = 10_000;

/**
 * The address port-forward connects to: the pod's IP, which this node routes to over its bridge;
 * 127.0.0.1 for a pod on the host network. Throws a Conflict naming why a pod cannot be reached.
 */
export function forwardHost(pod: Pod, terminated: boolean): string {
  const name = pod.metadata.name;
  const phase = pod.status?.phase;
  if (terminated || pod.metadata.deletionTimestamp !== undefined) throw new ApiError('Conflict', `pod "${name}" is being deleted: port-forward needs a running pod`);
  if (phase !== 'Running') throw new ApiError('Conflict', `pod "${name}" is not running (phase ${phase ?? 'Pending'}): port-forward needs a running pod; see lcctl describe pod ${name}`);
  if (pod.spec.hostNetwork === true || pod.spec.networkMode === 'host') return '127.0.0.1';
  if (pod.spec.networkMode === 'none') throw new ApiError('BadRequest', `pod "${name}" has no network (networkMode none): nothing to forward to`);
  const ip = pod.status?.podIP;
  if (!ip) throw new ApiError('Conflict', `pod "${name}" has no IP address yet: wait until its network is up and retry`);
  return ip;
}

/** Open a TCP connection to host:port for a pod; rejects with an ApiError that names the pod and port. */
export function connectToPod(podName: string, host: string, port: number): Promise<net.Socket> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return Promise.reject(new ApiError('BadRequest', `port ${String(port)}: expected a TCP port number from 1 to 65535`));
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => { sock.destroy(); reject(new ApiError('Unavailable', `connecting to port ${port} of pod "${podName}" (${host}:${port}) timed out after ${connectTimeoutMs / 1000} s`)); }, connectTimeoutMs);
    sock.once('connect', () => { clearTimeout(timer); sock.setNoDelay(true); resolve(sock); });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = e.code === 'ECONNREFUSED' ? 'connection refused: nothing listens on that port in the pod' : e.message;
      reject(new ApiError('BadRequest', `cannot connect to port ${port} of pod "${podName}" (${host}:${port}): ${why}`));
    });
  });
}
