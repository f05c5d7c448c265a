/** Pure parsing of `lcctl port-forward` arguments, kubectl's forms. */
import { UsageError } from '../errors.js';

/** One requested forwarding: local port (0 = pick a free one) to the pod's port. */
export interface PortPair { local: number; remote: number }

function portNumber(text: string, what: string, allowZero: boolean): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535 || (n === 0 && !allowZero)) {
    throw new UsageError(`invalid ${what} port "${text}": expected a port number from ${allowZero ? 0 : 1} to 65535`);
  }
  return n;
}

/** Parse "REMOTE", "LOCAL:REMOTE", ":REMOTE" or "0:REMOTE". */
export function parsePortPair(spec: string): PortPair {
  const parts = spec.split(':');
  if (parts.length === 1) { const p = portNumber(parts[0]!, 'remote', false); return { local: p, remote: p }; }
  if (parts.length !== 2) throw new UsageError(`invalid port format "${spec}": expected [LOCAL_PORT:]REMOTE_PORT`);
  return { local: parts[0] === '' ? 0 : portNumber(parts[0]!, 'local', true), remote: portNumber(parts[1]!, 'remote', false) };
}

/** The pod name of "NAME", "pod/NAME" or "pods/NAME"; other kinds are refused. */
export function podName(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return ref;
  const kind = ref.slice(0, slash).toLowerCase();
  const name = ref.slice(slash + 1);
  if (!['pod', 'pods', 'po'].includes(kind)) throw new UsageError(`lcctl port-forward forwards to pods only, not "${kind}": use pod/NAME or NAME`);
  if (name === '') throw new UsageError(`"${ref}": the pod name is missing`);
  return name;
}

/** The listen addresses of --address (comma-separated; "localhost" is 127.0.0.1). */
export function listenAddresses(value: string | undefined): string[] {
  const list = (value ?? '127.0.0.1').split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (list.length === 0) throw new UsageError('--address: give at least one IP address');
  return [...new Set(list.map((a) => (a === 'localhost' ? '127.0.0.1' : a)))];
}
