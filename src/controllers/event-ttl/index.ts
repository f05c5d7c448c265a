export { EventTtlController, type EventTtlOptions } from './controller.js';
export { expiresAt } from './expiry.js';
