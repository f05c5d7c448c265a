/**
 * What kubelet checks before it accepts a device plugin's RegisterRequest: the API version, an
 * extended resource name (a domain other than kubernetes.io, then a name), an endpoint that is a
 * socket file name in the plugin directory. Each error says what was wrong and what is expected.
 */
import { apiVersion, type RegisterRequest } from './proto.js';

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why this resource name cannot be a device plugin's, or undefined when it can. */
export function resourceNameError(name: string): string | undefined {
  const slash = name.indexOf('/');
  if (slash < 0) return `resourceName "${name}" has no domain: expected an extended resource name such as vendor.com/device`;
  const domain = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  if (domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io') || domain === 'k8s.io' || domain.endsWith('.k8s.io')) {
    return `resourceName "${name}" is in the reserved domain ${domain}: use your own domain (vendor.com/device)`;
  }
  if (name.startsWith('requests.')) return `resourceName "${name}" may not start with "requests." (quota syntax)`;
  if (domain.length > 253 || !dns1123Subdomain.test(domain)) return `resourceName "${name}": domain "${domain}" must be a lower-case DNS subdomain`;
  if (rest.length === 0 || rest.length > 63 || !qualifiedName.test(rest)) {
    return `resourceName "${name}": "${rest}" must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why kubelet would refuse this registration, or undefined when it is acceptable. */
export function registrationError(req: RegisterRequest): string | undefined {
  if (req.version !== apiVersion) return `requested API version "${req.version}" is not supported: supported versions are ["${apiVersion}"]`;
  const nameError = resourceNameError(req.resourceName);
  if (nameError) return nameError;
  const ep = req.endpoint;
  if (!ep || ep.includes('/') || ep === '.' || ep === '..' || ep.length > 100) {
    return `endpoint "${ep}" must be the file name of the plugin's unix socket in the device plugin directory (no '/')`;
  }
  if (ep === 'kubelet.sock') return 'endpoint "kubelet.sock" is the registration socket itself: name the plugin\'s own socket';
  return undefined;
}
