/**
 * Docker's check of an image name given as a tag (`docker build -t`, the build API's `t`): the
 * grammar of distribution/reference (ParseNormalizedNamed), with its messages, so lcctl and the
 * server refuse a bad tag before a build starts instead of after its last step.
 */

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:.]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const reference = new RegExp(`^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::(${tag}))?(?:@(${digest}))?$`);

/** Why TAG is not a valid image name for a build ("invalid reference format..."), or undefined when it is. */
export function imageTagProblem(name: string): string | undefined {
  if (/^[a-f0-9]{64}$/.test(name)) return `invalid repository name (${name}), cannot specify 64-byte hexadecimal strings`;
  // Docker's splitDockerDomain: the first component is a registry when it has "." or ":", is localhost, or has upper case.
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let remote = hasDomain ? name.slice(slash + 1) : name;
  if (!hasDomain && !remote.includes('/')) remote = `library/${remote}`;
  const colon = remote.indexOf(':');
  const remoteName = colon === -1 ? remote : remote.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) return `invalid reference format: repository name (${remoteName}) must be lowercase`;
  const m = reference.exec(name);
  if (!m) return 'invalid reference format';
  if ((m[1] ?? '').length > 255) return 'invalid reference format: repository name must not be more than 255 characters';
  if (m[3] !== undefined) return 'build tag cannot contain a digest';
  return undefined;
}

/** The message for a tag that imageTagProblem refuses: `invalid tag "BAD TAG": invalid reference format`. */
export function invalidTagMessage(name: string, problem: string): string {
  return `invalid tag ${JSON.stringify(name)}: ${problem}`;
}
