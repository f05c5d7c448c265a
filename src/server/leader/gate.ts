/**
 * What runs only while this server leads: followers (the scheduler, each controller) are started in
 * the order they were added when leadership is won and stopped in reverse when it is lost. Transitions
 * run one at a time, so a quick lose-then-win never starts a component twice.
 */

/** A part that runs only on the leader: each start() makes a fresh instance; stop() ends the one it made. */
export interface Follower {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts and stops followers as leadership comes and goes. */
export class LeaderGate {
  private readonly followers: Follower[] = [];
  private readonly running = new Set<Follower>();
  private leading = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly log: (msg: string) => void = () => undefined) {}

  /** Add a follower; when leading already, it starts now (resolves once it has; a failed start rejects, as at daemon start). */
  follow(f: Follower): Promise<void> {
    this.followers.push(f);
    return this.then(async () => { if (this.leading) await this.startOne(f, true); });
  }

  /** Remove a follower, stopping it when it runs (the daemon shutting down). */
  unfollow(f: Follower): Promise<void> {
    const i = this.followers.indexOf(f);
    if (i >= 0) this.followers.splice(i, 1);
    return this.then(() => this.stopOne(f));
  }

  /** Leadership won: start every follower in order. */
  won(): Promise<void> {
    return this.then(async () => {
      this.leading = true;
      for (const f of [...this.followers]) await this.startOne(f);
    });
  }

  /** Leadership lost: stop every running follower, last first. */
  lost(): Promise<void> {
    this.leading = false;
    return this.then(async () => {
      this.leading = false;
      for (const f of [...this.followers].reverse()) await this.stopOne(f);
    });
  }

  /** The ids of the followers running now. */
  runningIds(): string[] { return this.followers.filter((f) => this.running.has(f)).map((f) => f.id); }

  private then(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async startOne(f: Follower, rethrow = false): Promise<void> {
    if (this.running.has(f) || !this.leading) return;
    try {
      await f.start();
      this.running.add(f);
    } catch (err) {
      if (rethrow) throw err;
      // A component that fails to start on a later win must not end the server; the next win retries it.
      this.log(`leader: starting ${f.id} failed: ${(err as Error).message}`);
    }
  }

  private async stopOne(f: Follower): Promise<void> {
    if (!this.running.delete(f)) return;
    try { await f.stop(); } catch (err) { this.log(`leader: stopping ${f.id} failed: ${(err as Error).message}`); }
  }
}
