export { ReplicaSetController, type ReplicaSetControllerOptions } from './controller.js';
export { isActive, isAvailable, isReady, podsToDelete, deletionOrder } from './pod-state.js';
