/** The simulator's time: the shared clock with timers (api/clock.ts); tests inject a ManualClock. */
export { systemClock, type TimerClock as Clock } from '../api/clock.js';
