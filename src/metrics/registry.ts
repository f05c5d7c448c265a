/**
 * A tiny Prometheus client: counters, gauges and histograms with labels, written in the text
 * exposition format 0.0.4. Imports nothing of ours, so every layer may use it.
 */
import { formatSeries, formatValue } from './format.js';

/** Label name -> value of one series. */
export type Labels = Readonly<Record<string, string>>;

/** What every metric is declared with. */
export interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

/** One line of output: the metric name (with suffix), its labels in order, and the value. */
interface Line { name: string; labels: [string, string][]; value: number }

const validName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const validLabel = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The shared part: name checks, label handling and HELP/TYPE lines. */
abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly series = new Map<string, { labels: [string, string][]; state: S }>();

  constructor(opts: MetricOptions, readonly type: 'counter' | 'gauge' | 'histogram') {
    if (!validName.test(opts.name)) throw new Error(`metric name ${JSON.stringify(opts.name)} is not a valid Prometheus name`);
    for (const l of opts.labelNames ?? []) {
      if (!validLabel.test(l) || l.startsWith('__')) throw new Error(`label name ${JSON.stringify(l)} of ${opts.name} is not valid`);
    }
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames ?? [];
  }

  /** The state of the series for these labels, created on first use. */
  protected at(labels: Labels, init: () => S): S {
    const values = this.labelNames.map((n) => labels[n] ?? '');
    for (const k of Object.keys(labels)) {
      if (!this.labelNames.includes(k)) throw new Error(`metric ${this.name} has no label ${JSON.stringify(k)} (labels: ${this.labelNames.join(', ') || 'none'})`);
    }
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { labels: this.labelNames.map((n, i) => [n, values[i]!]), state: init() };
      this.series.set(key, s);
    }
    return s.state;
  }

  /** Drops every series (a collector that rebuilds its values on each scrape calls this first). */
  reset(): void { this.series.clear(); }

  /** Drops the series of these labels. */
  remove(labels: Labels): void {
    this.series.delete(this.labelNames.map((n) => labels[n] ?? '').join('\u0000'));
  }

  protected abstract lines(): Line[];

  /** HELP, TYPE and one line per sample. */
  expose(): string {
    const help = this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    const out = [`# HELP ${this.name} ${help}`, `# TYPE ${this.name} ${this.type}`];
    for (const l of this.lines()) out.push(`${formatSeries(l.name, l.labels)} ${formatValue(l.value)}`);
    return out.join('\n') + '\n';
  }
}

/** A value that only goes up (or resets to zero when the process restarts). */
export class Counter extends Metric<{ v: number }> {
  constructor(opts: MetricOptions) { super(opts, 'counter'); }

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot go down (inc by ${by})`);
    this.at(labels, () => ({ v: 0 })).v += by;
  }

  /** Sets the total read from elsewhere (a cgroup's usage counter). */
  set(labels: Labels, total: number): void { this.at(labels, () => ({ v: 0 })).v = total; }

  get(labels: Labels = {}): number { return this.at(labels, () => ({ v: 0 })).v; }

  protected lines(): Line[] { return [...this.series.values()].map((s) => ({ name: this.name, labels: s.labels, value: s.state.v })); }
}

/** A value that goes up and down. */
export class Gauge extends Metric<{ v: number }> {
  constructor(opts: MetricOptions) { super(opts, 'gauge'); }

  set(labels: Labels, v: number): void { this.at(labels, () => ({ v: 0 })).v = v; }
  inc(labels: Labels = {}, by = 1): void { this.at(labels, () => ({ v: 0 })).v += by; }
  dec(labels: Labels = {}, by = 1): void { this.at(labels, () => ({ v: 0 })).v -= by; }
  get(labels: Labels = {}): number { return this.at(labels, () => ({ v: 0 })).v; }

  protected lines(): Line[] { return [...this.series.values()].map((s) => ({ name: this.name, labels: s.labels, value: s.state.v })); }
}

/** Prometheus' client default buckets (seconds). */
export const defaultBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface HistogramState { counts: number[]; sum: number; count: number }

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Metric<HistogramState> {
  readonly buckets: readonly number[];

  constructor(opts: MetricOptions & { buckets?: readonly number[] }) {
    super(opts, 'histogram');
    if (this.labelNames.includes('le')) throw new Error(`histogram ${opts.name} may not have a label "le"`);
    const b = [...(opts.buckets ?? defaultBuckets)].filter((x) => x !== Infinity).sort((x, y) => x - y);
    if (new Set(b).size !== b.length) throw new Error(`histogram ${opts.name} has duplicate buckets`);
    this.buckets = b;
  }

  observe(labels: Labels, v: number): void {
    const s = this.at(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    // Non-cumulative here; expose() accumulates, so an observation costs one increment.
    const i = this.buckets.findIndex((b) => v <= b);
    if (i >= 0) s.counts[i]! += 1;
    s.sum += v;
    s.count += 1;
  }

  /** Starts a timer; calling the result observes the seconds since. */
  startTimer(labels: Labels = {}): (more?: Labels) => number {
    const t0 = performance.now();
    return (more = {}) => {
      const s = (performance.now() - t0) / 1000;
      this.observe({ ...labels, ...more }, s);
      return s;
    };
  }

  protected lines(): Line[] {
    const out: Line[] = [];
    for (const { labels, state } of this.series.values()) {
      let acc = 0;
      this.buckets.forEach((b, i) => {
        acc += state.counts[i]!;
        out.push({ name: `${this.name}_bucket`, labels: [...labels, ['le', formatValue(b)]], value: acc });
      });
      out.push({ name: `${this.name}_bucket`, labels: [...labels, ['le', '+Inf']], value: state.count });
      out.push({ name: `${this.name}_sum`, labels, value: state.sum });
      out.push({ name: `${this.name}_count`, labels, value: state.count });
    }
    return out;
  }
}

/** Anything that can be exposed. */
export type AnyMetric = Counter | Gauge | Histogram;

/** Metrics of one process or one scrape, plus collectors that refresh values right before exposing. */
export class Registry {
  private readonly metrics = new Map<string, AnyMetric>();
  private readonly collectors: (() => void | Promise<void>)[] = [];

  register<M extends AnyMetric>(m: M): M {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} is registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }

  counter(opts: MetricOptions): Counter { return this.register(new Counter(opts)); }
  gauge(opts: MetricOptions): Gauge { return this.register(new Gauge(opts)); }
  histogram(opts: MetricOptions & { buckets?: readonly number[] }): Histogram { return this.register(new Histogram(opts)); }

  /** Runs before each exposition (read a queue length, a cgroup file). */
  onCollect(fn: () => void | Promise<void>): void { this.collectors.push(fn); }

  get(name: string): AnyMetric | undefined { return this.metrics.get(name); }

  /** The text exposition format 0.0.4, metrics in registration order. */
  async expose(): Promise<string> {
    for (const c of this.collectors) await c();
    return [...this.metrics.values()].map((m) => m.expose()).join('');
  }
}

/** The Content-Type of the text format. */
export const contentType = 'text/plain; version=0.0.4; charset=utf-8';
