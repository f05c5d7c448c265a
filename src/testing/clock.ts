/** The test clock: time moves only when the test says so. */
export { ManualClock } from '../api/manual-clock.js';
