export { StatefulSetController, type StatefulSetControllerOptions } from './controller.js';
