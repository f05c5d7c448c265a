export { DaemonSetController, type DaemonSetControllerOptions } from './controller.js';
