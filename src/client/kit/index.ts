/** The controller kit: informers, the work queue, conflict retries, owner references, events. */
export { Informer, type InformerOptions, type InformerSource, type EventHandler } from './informer.js';
export { InformerFactory, type InformerFactoryOptions } from './factory.js';
export { IndexedCache, indexByNamespace, indexByLabel, indexByControllerUid, type IndexFn } from './cache.js';
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { backoffDelay, PerKeyBackoff, type BackoffOptions } from './backoff.js';
export { retryOnConflict, type RetryOptions } from './conflict.js';
export { isApiError, ignoreErrors } from './errors.js';
export { keyOf, splitKey } from './keys.js';
export { controllerOf, isControlledBy, newControllerRef, deleteControlled } from './owners.js';
export { timerClock, every } from './timers.js';
export { EventRecorder, type EventType } from './events.js';
export { Controller, ControllerLoop, onEachChange, queueKeyOf, queueControllerOf, type ControllerInputs } from './controller.js';
