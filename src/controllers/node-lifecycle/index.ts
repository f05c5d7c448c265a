export { NodeLifecycleController, type NodeLifecycleOptions } from './controller.js';
export { systemClock, type Clock } from './clock.js';
