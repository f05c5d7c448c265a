export { Annotations } from './annotations.js';

export type {
  Pod, PodSpec, PodStatus, Container, ContainerStatus, ContainerState, Volume, VolumeMount, EnvVar,
  ContainerPort, SecurityContext, PodPhase, PodCondition,
} from './schema/pod.js';
export { PodSchema } from './schema/pod.js';
