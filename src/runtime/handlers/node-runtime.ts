/**
 * The node's pod runtime: runc (the default, state in DATA/containers as always) plus every other
 * handler that passed its probe at start (runsc: state in DATA/runtimes/runsc), behind one HandlerRuntime.
 */
import { join } from 'node:path';
import { RuncRuntime } from '../runc/runtime.js';
import { HandlerRuntime, type NamedHandler } from './handler-runtime.js';
import { probeHandlers } from './probe.js';

/** Where the node's runtimes keep their files and how they log. */
export interface NodeRuntimeOptions {
  dataDir: string;
  cgroupParent: string;
  cc?: string;
  /** Handlers to probe beyond runc; default runsc and crun. */
  extraHandlers?: readonly string[];
  log: (msg: string) => void;
}

/** runc always; other handlers only where their probe runs a sandbox here. */
export async function nodeHandlerRuntime(o: NodeRuntimeOptions): Promise<HandlerRuntime> {
  const handlers: NamedHandler[] = [{
    name: 'runc',
    runtime: new RuncRuntime({ stateDir: join(o.dataDir, 'containers'), cgroupParent: o.cgroupParent, cc: o.cc }),
  }];
  for (const h of await probeHandlers(o.extraHandlers ?? ['runsc', 'crun'], o.log)) {
    handlers.push({
      name: h.name,
      runtime: new RuncRuntime({
        name: h.name, runcPath: h.path, runtimeArgs: h.args, stateDir: join(o.dataDir, 'runtimes', h.name),
        cgroupParent: o.cgroupParent, cc: o.cc, seccompProfileDir: join(o.dataDir, 'seccomp'),
      }),
    });
  }
  return new HandlerRuntime(handlers);
}
