/**
 * The `servers:` list of lcctl's config file (issue 16 item 3: an HA control plane has several
 * servers). Read without the yaml package, as the rest of the file is, because start-up time matters:
 *
 *   servers:                      or   servers: [https://a:6443, https://b:6443]
 *     - https://a:6443
 *     - https://b:6443
 */

/** The servers the text's top-level `servers:` key lists, comma-joined as LANTERN_SERVER takes them; undefined when absent or empty. */
export function serversOf(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^servers\s*:/.test(l));
  if (at < 0) return undefined;
  const inline = lines[at]!.replace(/^servers\s*:\s*/, '').replace(/\s+#.*$/, '').trim();
  const items: string[] = [];
  if (inline.startsWith('[') && inline.endsWith(']')) items.push(...inline.slice(1, -1).split(','));
  else if (inline !== '') items.push(...inline.split(','));
  else {
    for (const line of lines.slice(at + 1)) {
      const m = /^\s*-\s*(.*)$/.exec(line);
      if (m) { items.push(m[1]!); continue; }
      if (/^\s*(#.*)?$/.test(line)) continue;
      break;
    }
  }
  const urls = items.map((s) => s.replace(/\s+#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2')).filter((s) => s !== '');
  return urls.length === 0 ? undefined : urls.join(',');
}
