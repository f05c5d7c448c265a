/** Image signing compatible with cosign: keys, payloads, the `.sig` artifact, verification, policy matching. */
export { simpleSigningPayload, parsePayload, COSIGN_SIGNATURE_TYPE, type SignedClaim } from './payload.js';
export { loadPrivateKey, loadPublicKey, decryptCosignKey, encryptCosignKey, generateCosignKeyPair, publicKeyPem, SIGSTORE_PRIVATE_KEY_LABEL } from './keys.js';
export { signPayload, verifyPayload } from './signature.js';
export { signatureTag, parseSignatureManifest, buildSignatureManifest, SIMPLE_SIGNING_MEDIA_TYPE, SIGNATURE_ANNOTATION } from './artifact.js';
export { resolveDigest, fetchSignatures, attachSignature, type StoredSignature } from './remote.js';
export { verifySignatures, refusalReason, requireVerified, type TrustedKey, type VerifyResult } from './verify.js';
export { policiesFor, policyMatches, policyKeys, matchNames } from './policy.js';
export { ImageVerifier, type VerifierAccess, type Verdict } from './verifier.js';
