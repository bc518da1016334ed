// The opaque link in a confirmation email: /c/<token>, a signed consent request id. The HMAC key
// is the configured secret with a consent-only suffix, so a token minted for another link kind
// (say a tracked link with the same numeric id) never opens a consent request, nor the reverse.
import type { HeraldConfig } from '../../config/load-config.ts';
import { signToken, verifyToken } from '../links/signed-token.ts';

const consentSecret = (config: HeraldConfig) => `${config.secret}:consent-request`;

export function consentToken(config: HeraldConfig, requestId: number): string {
  return signToken(consentSecret(config), 'link', requestId);
}

/** The consent request id, or null for a forged, truncated or foreign token. */
export function verifyConsentToken(config: HeraldConfig, token: string): number | null {
  return verifyToken(consentSecret(config), 'link', token);
}

export function consentUrl(config: HeraldConfig, requestId: number): string {
  return `${config.publicUrl}/c/${consentToken(config, requestId)}`;
}
