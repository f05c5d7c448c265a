import { FrameType } from '../../client/tunnel/frames.js';
import type { TunnelMux } from '../../client/tunnel/mux.js';

/**
 * Whether the agent at the other end of `mux` still answers: a `ping` call on a new stream, alive
 * when any answer comes back within timeoutMs. Agents that do not know `ping` answer it with an
 * error RESULT, which proves they are there just as well.
 */
export function pingTunnel(mux: TunnelMux, timeoutMs: number): Promise<boolean> {
  if (mux.closed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = mux.open('ping', []);
    const timer = setTimeout(() => { s.reset(); resolve(false); }, timeoutMs);
    const done = (alive: boolean): void => { clearTimeout(timer); resolve(alive); };
    s.onFrame = (type) => { if (type === FrameType.result) { s.forget(); done(true); } };
    // A reset from the peer is an answer too; the connection closing is not.
    s.onGone = () => done(!mux.closed);
  });
}
