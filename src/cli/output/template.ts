/** A small subset of Go templates for --format: `{{.Field}}`, `{{.A.B}}`, `{{json .}}`, `{{json .Field}}`. */

function lookup(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const key of path.split('.').filter((k) => k !== '')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    const rec = cur as Record<string, unknown>;
    const hit = key in rec ? key : Object.keys(rec).find((k) => k.toLowerCase() === key.toLowerCase());
    cur = hit === undefined ? undefined : rec[hit];
  }
  return cur;
}

/** Render a template against an object; missing fields print "<no value>" as Go does. */
export function renderTemplate(template: string, obj: unknown): string {
  const expanded = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return expanded.replace(/\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g, (_m, json: string | undefined, path: string) => {
    const v = lookup(obj, path);
    if (json) return JSON.stringify(v ?? null);
    if (v === undefined || v === null) return '<no value>';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** Is this --format value a template (rather than a named format such as json or table)? */
export function isTemplate(format: string): boolean {
  return format.includes('{{');
}
