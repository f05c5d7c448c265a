/** The runc + conmon container runtime. */
export { RuncRuntime, type RuncRuntimeOptions } from './runtime.js';
export { parseCriLog, readCriLog, type CriLogLine } from '../cri-log.js';
