/** Small readers for Compose's value syntaxes: durations, byte sizes, command strings, maps given as lists. */

/** Compose durations ("1m30s", "500ms", "10s") in whole seconds, at least 1; undefined when not a duration. */
export function durationSeconds(v: unknown): number | undefined {
  if (typeof v === 'number') return Math.max(1, Math.ceil(v));
  if (typeof v !== 'string') return undefined;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g;
  let total = 0;
  let used = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    const n = Number(m[1]);
    total += n * ({ h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 } as const)[m[2] as 'h' | 'm' | 's' | 'ms' | 'us' | 'ns'];
    used += m[0].length;
  }
  if (used === 0 || used !== v.replace(/\s/g, '').length) return undefined;
  return Math.max(1, Math.ceil(total));
}

/** A Compose byte size ("512m", "1g", "100k", 1048576) as a Kubernetes quantity ("512Mi"). */
export function memoryQuantity(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)\s*([bkmg]?)b?$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = ({ '': '', b: '', k: 'Ki', m: 'Mi', g: 'Gi' } as const)[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return `${m[1]}${unit}`;
}

/** Compose `cpus: "0.5"` as a Kubernetes CPU quantity ("500m"). */
export function cpuQuantity(v: unknown): string | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`;
}

/** A command given as a string, split as a shell would split words (quotes honoured, no expansion). */
export function splitCommand(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') return undefined;
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < v.length) cur += v[++i];
      else cur += c;
    } else if (c === '"' || c === "'") { quote = c; inWord = true; }
    else if (c === '\\' && i + 1 < v.length) { cur += v[++i]; inWord = true; }
    else if (/\s/.test(c)) { if (inWord) words.push(cur); cur = ''; inWord = false; }
    else { cur += c; inWord = true; }
  }
  if (inWord) words.push(cur);
  return words;
}

/** A map given either as a mapping or as a list of "KEY=VALUE" (a bare KEY maps to ''). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = '';
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) out[k] = val === null || val === undefined ? '' : String(val);
  }
  return out;
}

/** Parse an env file: KEY=VALUE lines, # comments and blank lines skipped, surrounding quotes removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).replace(/^export\s+/, '').trim();
    let value = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out[key] = value;
  }
  return out;
}
