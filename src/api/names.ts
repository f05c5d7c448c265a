/** Kubernetes name rules, with the messages users see when a name breaks them. */
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** undefined when valid, otherwise what is wrong with a DNS-1123 subdomain name. */
export function checkSubdomain(name: string): string | undefined {
  if (name.length === 0) return 'required';
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!subdomain.test(name)) return `invalid name ${JSON.stringify(name)}: must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
  return undefined;
}

/** undefined when valid, otherwise what is wrong with a DNS-1123 label (container names, namespaces). */
export function checkLabel(name: string): string | undefined {
  if (name.length === 0) return 'required';
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!label.test(name)) return `invalid name ${JSON.stringify(name)}: must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`;
  return undefined;
}

const labelKeyName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** undefined when valid, otherwise what is wrong with a label key. */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const bad = `invalid label key ${JSON.stringify(key)}: an optional DNS subdomain prefix and '/', then at most 63 alphanumeric, '-', '_' or '.' characters`;
  if (prefix !== undefined && checkSubdomain(prefix) !== undefined) return bad;
  return name.length <= 63 && labelKeyName.test(name) ? undefined : bad;
}
/** undefined when valid, otherwise what is wrong with a label value. */
export function checkLabelValue(value: string): string | undefined {
  return labelValue.test(value) && value.length <= 63 ? undefined : `invalid label value ${JSON.stringify(value)}: at most 63 characters, alphanumeric, '-', '_' or '.'`;
}
