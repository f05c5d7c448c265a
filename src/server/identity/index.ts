/** Identities beyond the admin, node and join tokens: client certificates, user tokens, ServiceAccount tokens (README.md). */
import type { StateStore } from '../../store/types.js';
import type { ApiClient } from '../../client/types.js';
import type { TokenAuthenticator } from '../http/auth.js';
import { clientCertIdentity } from './client-cert.js';
import type { IdentityApiDeps, IssuedCert } from './identity-api.js';
import { ServiceAccountTokens, loadServiceAccountKey } from './sa-tokens.js';
import { UserTokens } from './user-tokens.js';

export { isIdentityPath, serveIdentityApi, type IdentityApiDeps } from './identity-api.js';

/**
 * Teach AUTH the new identities (a user token or ServiceAccount token as bearer, or a client
 * certificate when no token came) and return what the identity routes need.
 */
export async function installIdentities(o: {
  auth: TokenAuthenticator; store: StateStore; api: ApiClient; dataDir: string; caCert: string;
  issueClientCert: (user: string, groups: string[], days: number) => Promise<IssuedCert>;
}): Promise<IdentityApiDeps> {
  const userTokens = new UserTokens(o.store);
  const serviceAccountTokens = new ServiceAccountTokens(await loadServiceAccountKey(o.dataDir), o.api);
  o.auth.use(async (req, token) => token === undefined ? clientCertIdentity(req) : await userTokens.identify(token) ?? await serviceAccountTokens.identify(token));
  return { api: o.api, userTokens, serviceAccountTokens, issueClientCert: o.issueClientCert, caCert: o.caCert };
}
