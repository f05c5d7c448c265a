/** Data a plugin keeps in the cycle state; preemption clones the state once per node it tries. */
export interface StateData {
  clone(): StateData;
}

/** A typed key into the cycle state: the key's owner knows what is stored under it. */
export class StateKey<T extends StateData> {
  /** Never set: carries T so read() returns it without the caller naming it again. */
  declare readonly _type?: T;
  constructor(readonly name: string) {}
}

/**
 * What plugins computed for one pod in one cycle (kube-scheduler's CycleState): PreFilter and PreScore
 * write, Filter and Score read, so work over the whole snapshot is done once rather than per node.
 */
export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter said Skip: their Filter is not run this cycle. */
  readonly skippedFilters = new Set<string>();

  write<T extends StateData>(key: StateKey<T>, value: T): void { this.data.set(key.name, value); }

  read<T extends StateData>(key: StateKey<T>): T | undefined {
    // Only write() stores under key.name, and it takes a T.
    return this.data.get(key.name) as T | undefined;
  }

  /** A deep copy: changes to the copy (preemption removing pods) leave this state as it was. */
  clone(): CycleState {
    const out = new CycleState();
    for (const [k, v] of this.data) out.data.set(k, v.clone());
    for (const name of this.skippedFilters) out.skippedFilters.add(name);
    return out;
  }
}
