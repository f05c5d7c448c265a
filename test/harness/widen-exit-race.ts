/**
 * A race amplifier, preloaded into the lanternd server of the hang-up test (node --import): after a
 * liveness probe `process.kill(pid, 0)` that finds the process, the event loop is held for 60 ms
 * before the caller goes on, as a loaded machine now and then holds it. An exec'd process that ends
 * on its own in that time (the test runs `sleep 0.05`) is then reaped before the signal that
 * follows the probe: the ESRCH race behind "kubectl exec crashed lanternd server", met in seconds
 * instead of once in thousands of execs. It changes timing only, never a result.
 */
const kill = process.kill.bind(process);
const holdMs = 60;

process.kill = (pid: number, signal?: string | number): true => {
  const r = kill(pid, signal);
  if (signal === 0) {
    const until = Date.now() + holdMs;
    while (Date.now() < until) { /* hold the loop: the runtime reaps meanwhile on another CPU */ }
  }
  return r;
};
