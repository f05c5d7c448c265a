/** Registering the Node when the server may be out of reach (an edge node starting cut off). */
import type { ApiClient } from '../../client/types.js';
import { registerNode, type NodeIdentity } from '../node/registration.js';
import { isUnreachable, withDeadline } from './unreachable.js';

/** How long a start waits for the registration before going on from the record. */
const startDeadlineMs = 5000;

/**
 * Register now (opts.now false: the join already found the server out of reach, so only in the
 * background); when the server cannot be reached, go on (the node runs its recorded pods) and try
 * again every retryMs in the background until it answers. Any other refusal is thrown, as before.
 * Returns the background retries: whether they still run, and their stop.
 */
export async function registerOrRetry(api: ApiClient, id: NodeIdentity, log: (m: string) => void, opts: { now?: boolean; retryMs?: number } = {}): Promise<Registration> {
  const retryMs = opts.retryMs ?? 2000;
  if (opts.now === false) log('the server could not be reached at join: running this node\'s recorded pods and registering once it answers');
  else {
    try {
      await withDeadline(registerNode(api, id), startDeadlineMs, 'registering the node');
      return { pending: false, stop: () => undefined };
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      log(`the server cannot be reached (${(e as Error).message}); running this node's recorded pods and registering once it answers`);
    }
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const reg: Registration = { pending: true, stop: () => { stopped = true; if (timer) clearTimeout(timer); } };
  const again = (): void => {
    timer = setTimeout(() => {
      registerNode(api, id).then(() => { reg.pending = false; log('the server answers again: node registered'); }, (e: unknown) => {
        if (!isUnreachable(e)) log(`registering the node failed: ${(e as Error).message}`);
        if (!stopped) again();
      });
    }, retryMs);
    timer.unref();
  };
  again();
  return reg;
}

/** A registration that may still be retried in the background. */
export interface Registration {
  /** True until the server took the registration. */
  pending: boolean;
  stop(): void;
}
