export { ReplicaSetController, type ReplicaSetControllerOptions } from './controller.js';
export { controllerOf, isActive, isAvailable, isReady, podsToDelete, deletionOrder } from './pod-state.js';
export { WorkQueue, keyOf, splitKey } from './work-queue.js';
