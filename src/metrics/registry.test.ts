import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from './registry.js';
import { parseExposition } from './parse.js';
import { registerProcessMetrics } from './process.js';

describe('exposition format 0.0.4', () => {
  test('counters, gauges and histograms print HELP, TYPE, escaped labels and cumulative buckets', async () => {
    const reg = new Registry();
    const req = reg.counter({ name: 'http_requests_total', help: 'Requests.\nBy code \\ verb.', labelNames: ['verb', 'code'] });
    req.inc({ verb: 'GET', code: '200' });
    req.inc({ verb: 'GET', code: '200' }, 2);
    req.inc({ verb: 'POST', code: '4"0\\4\n' });
    const g = reg.gauge({ name: 'queue_depth', help: 'Pods waiting.' });
    g.set({}, 7);
    g.dec();
    const h = reg.histogram({ name: 'latency_seconds', help: 'Latency.', labelNames: ['verb'], buckets: [1, 0.1, 0.5] });
    h.observe({ verb: 'GET' }, 0.05);
    h.observe({ verb: 'GET' }, 0.1);
    h.observe({ verb: 'GET' }, 0.7);
    h.observe({ verb: 'GET' }, 3);
    assert.equal(await reg.expose(), [
      '# HELP http_requests_total Requests.\\nBy code \\\\ verb.',
      '# TYPE http_requests_total counter',
      'http_requests_total{verb="GET",code="200"} 3',
      'http_requests_total{verb="POST",code="4\\"0\\\\4\\n"} 1',
      '# HELP queue_depth Pods waiting.',
      '# TYPE queue_depth gauge',
      'queue_depth 6',
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{verb="GET",le="0.1"} 2',
      'latency_seconds_bucket{verb="GET",le="0.5"} 2',
      'latency_seconds_bucket{verb="GET",le="1"} 3',
      'latency_seconds_bucket{verb="GET",le="+Inf"} 4',
      'latency_seconds_sum{verb="GET"} 3.85',
      'latency_seconds_count{verb="GET"} 4',
      '',
    ].join('\n'));
  });

  test('a metric without samples still declares itself; special values are spelled as Prometheus reads them', async () => {
    const reg = new Registry();
    reg.counter({ name: 'never_total', help: 'Nothing yet.' });
    const g = reg.gauge({ name: 'odd', help: 'Odd values.', labelNames: ['k'] });
    g.set({ k: 'nan' }, NaN);
    g.set({ k: 'inf' }, Infinity);
    g.set({ k: 'neg' }, -Infinity);
    assert.equal(await reg.expose(), '# HELP never_total Nothing yet.\n# TYPE never_total counter\n# HELP odd Odd values.\n# TYPE odd gauge\nodd{k="nan"} NaN\nodd{k="inf"} +Inf\nodd{k="neg"} -Inf\n');
  });

  test('histogram buckets are cumulative, upper bounds inclusive, and +Inf equals the count', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [0.005, 0.01, 0.025] });
    for (const v of [0, 0.005, 0.0051, 0.01, 0.02, 0.025, 0.026, 100]) h.observe({}, v);
    const samples = parseExposition(h.expose());
    const bucket = (le: string): number | undefined => samples.find((s) => s.name === 'h_bucket' && s.labels.le === le)?.value;
    assert.deepEqual([bucket('0.005'), bucket('0.01'), bucket('0.025'), bucket('+Inf')], [2, 4, 6, 8]);
    assert.equal(samples.find((s) => s.name === 'h_count')?.value, 8);
  });

  test('mistakes are refused with the metric named', () => {
    const reg = new Registry();
    const c = reg.counter({ name: 'c_total', help: 'c', labelNames: ['a'] });
    assert.throws(() => c.inc({ b: 'x' }), /c_total has no label "b"/);
    assert.throws(() => c.inc({}, -1), /cannot go down/);
    assert.throws(() => reg.counter({ name: 'c_total', help: 'again' }), /registered twice/);
    assert.throws(() => new Counter({ name: 'bad-name', help: 'x' }), /not a valid Prometheus name/);
    assert.throws(() => new Histogram({ name: 'h', help: 'h', labelNames: ['le'] }), /label "le"/);
  });

  test('the parser reads back what the registry writes, escapes included', async () => {
    const reg = new Registry();
    const g = reg.gauge({ name: 'g', help: 'g', labelNames: ['pod', 'image'] });
    g.set({ pod: 'a"b\\c\nd', image: 'busybox:1,2' }, 1.5e-7);
    assert.deepEqual(parseExposition(await reg.expose()), [{ name: 'g', labels: { pod: 'a"b\\c\nd', image: 'busybox:1,2' }, value: 1.5e-7 }]);
  });

  test('process metrics report this process', async () => {
    const reg = new Registry();
    registerProcessMetrics(reg);
    const samples = parseExposition(await reg.expose());
    const rss = samples.find((s) => s.name === 'process_resident_memory_bytes');
    assert.ok(rss && rss.value > 1_000_000, 'resident memory is reported in bytes');
    assert.ok(samples.some((s) => s.name === 'process_cpu_seconds_total' && s.value > 0));
  });
});
