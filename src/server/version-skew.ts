/**
 * The version skew policy (issue 16 item 6), Kubernetes' kubelet rule made strict: an agent may be
 * as new as its server or one minor version older, never newer and never two minors older. Checked
 * by the server at join (the body's `version`) and when a tunnel is offered (the header below), and
 * by the agent itself against GET /version before it uses a stored credential, so an old server that
 * does not check is caught too. A version this code cannot read on the server's side (a test server's
 * "test") turns the check off; an agent that sends none predates the check and is let in.
 */
import { ApiError } from '../api/errors.js';

/** The header an agent names its version in when it dials its tunnel. */
export const agentVersionHeader = 'x-lantern-agent-version';

/** How many minor versions an agent may lag its server. */
export const maxAgentMinorLag = 1;

/** A parsed MAJOR.MINOR.PATCH (a leading v and any -pre/+build suffix allowed). */
export interface Version { major: number; minor: number; patch: number; text: string }

const shape = /^v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:[-+][0-9A-Za-z.+-]{0,64})?$/;

/** Parse a version, or undefined when it is not MAJOR.MINOR.PATCH. */
export function parseVersion(text: string): Version | undefined {
  const m = shape.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: text.trim() };
}

/** The policy in words, for every refusal. */
export const skewPolicy = `agents may be as new as the server or ${maxAgentMinorLag} minor version older, never newer; upgrade the servers first, one at a time, then the agents`;

/**
 * Why an agent of version `agent` may not work with a server of version `server`, or undefined when
 * it may. Across a major version no skew is allowed (the minor numbers do not compare).
 */
export function skewProblem(agent: string, server: string): string | undefined {
  const a = parseVersion(agent);
  const s = parseVersion(server);
  if (s === undefined) return undefined;
  if (a === undefined) return `agent version ${JSON.stringify(agent)} is not MAJOR.MINOR.PATCH`;
  const both = `agent ${a.text}, server ${s.text}`;
  if (a.major !== s.major) return `the agent and the server differ in major version (${both}): ${skewPolicy}`;
  if (a.minor > s.minor || (a.minor === s.minor && a.patch > s.patch)) return `the agent is newer than the server (${both}): ${skewPolicy}`;
  if (s.minor - a.minor > maxAgentMinorLag) return `the agent is ${s.minor - a.minor} minor versions older than the server (${both}): ${skewPolicy}`;
  return undefined;
}

/**
 * Server side: refuse (403) an agent whose `version` the policy does not allow; `undefined` (an agent
 * from before this check) passes. `field` names where the version came from, for the message.
 */
export function checkAgentVersion(version: unknown, serverVersion: string | undefined, field: string): void {
  if (version === undefined || serverVersion === undefined) return;
  if (typeof version !== 'string' || version.length > 100 || parseVersion(version) === undefined) {
    throw new ApiError('Invalid', `${field}: must be the agent's version, MAJOR.MINOR.PATCH`, { causes: [{ field, message: 'invalid' }] });
  }
  const problem = skewProblem(version, serverVersion);
  if (problem !== undefined) throw new ApiError('Forbidden', `version skew: ${problem}`);
}

/** The agent's version named by a tunnel request's header (the first, if repeated). */
export function agentVersionOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers[agentVersionHeader];
  return Array.isArray(v) ? v[0] : v;
}
