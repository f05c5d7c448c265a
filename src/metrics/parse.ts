/** Reads the text exposition format back into samples (the server's metrics API reads node output). */

/** One sample line. */
export interface Sample { name: string; labels: Record<string, string>; value: number }

function parseValue(t: string): number {
  if (t === '+Inf' || t === 'Inf') return Infinity;
  if (t === '-Inf') return -Infinity;
  if (t === 'NaN') return NaN;
  return Number(t);
}

/** Every sample in TEXT; comment lines and lines it cannot read are skipped. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) continue;
    const name = line.slice(0, nameEnd);
    const labels: Record<string, string> = {};
    let i = nameEnd;
    if (line[i] === '{') {
      i++;
      while (i < line.length && line[i] !== '}') {
        const eq = line.indexOf('=', i);
        if (eq < 0 || line[eq + 1] !== '"') return out;
        const key = line.slice(i, eq).trim();
        let j = eq + 2;
        let v = '';
        while (j < line.length && line[j] !== '"') {
          if (line[j] === '\\') {
            const n = line[j + 1];
            v += n === 'n' ? '\n' : n ?? '';
            j += 2;
          } else {
            v += line[j];
            j++;
          }
        }
        labels[key] = v;
        i = j + 1;
        if (line[i] === ',') i++;
      }
      i++;
    }
    const [value] = line.slice(i).trim().split(/\s+/);
    if (value === undefined || value === '') continue;
    out.push({ name, labels, value: parseValue(value) });
  }
  return out;
}
