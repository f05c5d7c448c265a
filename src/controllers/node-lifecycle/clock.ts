/** The controller reads time through the shared Clock (api/clock.ts). */
export { systemClock, type Clock } from '../../api/clock.js';
