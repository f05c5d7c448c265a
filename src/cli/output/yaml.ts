/** YAML in and out, loading the yaml package only when a YAML format is actually used. */

/** Serialize to YAML the way kubectl prints objects (block style, no line folding). */
export async function toYaml(value: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** One document of a multi-document YAML text: its value or the parse error. */
export interface YamlDoc { value: unknown; error?: string }

/**
 * Parse every `---` separated document. version '1.1' reads as kubectl does (Go's yaml.v2): `0400` is
 * octal, as manifests write file modes.
 */
export async function parseYamlDocuments(text: string, version?: '1.1' | '1.2'): Promise<YamlDoc[]> {
  const { parseAllDocuments } = await import('yaml');
  const docs = parseAllDocuments(text, version ? { version } : {});
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((d) => {
    const first = d.errors[0];
    return first ? { value: undefined, error: first.message } : { value: d.toJS() as unknown };
  });
}
