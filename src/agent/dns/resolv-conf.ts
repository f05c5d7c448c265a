/** The node's resolver settings (resolv.conf(5)): where outside names go, and the host's search path. */

/** What a resolv.conf says. */
export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

/** Parse resolv.conf text; later `search`/`domain` lines replace earlier ones, as in glibc. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (word === 'search' || word === 'domain') out.searches = rest.filter((s) => s !== '' && s !== '.');
    else if (word === 'options') out.options.push(...rest.filter((s) => s !== ''));
  }
  return out;
}

/** True for a loopback nameserver (systemd-resolved, a local dnsmasq): not reachable from a pod's netns. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}
