/** The HorizontalPodAutoscaler controller and its pure algorithm. */
export { HpaController, type HpaControllerOptions, type PodCpuSource } from './controller.js';
export { cpuReplicas, type PodSample } from './replicas.js';
export { decide } from './decide.js';
