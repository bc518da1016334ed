// What the dispatcher calls after rendering a message of a campaign with tracking on: the links go
// through /l/<click token> and the pixel /o/<open token>.gif is appended. Only the signing needs
// the secret; the rewriting itself is pure (src/core/tracking/rewrite-links.ts).
import type { HeraldConfig } from '../../config/load-config.ts';
import { rewriteForTracking } from '../../core/tracking/rewrite-links.ts';
import { signToken } from '../links/signed-token.ts';
import { signClickToken } from './click-token.ts';

export function openPixelUrl(config: Pick<HeraldConfig, 'publicUrl' | 'secret'>, messageId: number): string {
  return `${config.publicUrl}/o/${signToken(config.secret, 'open', messageId)}.gif`;
}

export function clickUrl(config: Pick<HeraldConfig, 'publicUrl' | 'secret'>, messageId: number, url: string, linkCount: number): string {
  return `${config.publicUrl}/l/${signClickToken(config.secret, { messageId, linkCount, url })}`;
}

export function trackMessageHtml(
  config: Pick<HeraldConfig, 'publicUrl' | 'secret'>,
  messageId: number,
  html: string,
  unsubscribeUrl: string | null,
): string {
  return rewriteForTracking(html, {
    openUrl: openPixelUrl(config, messageId),
    clickUrl: (url, _index, linkCount) => clickUrl(config, messageId, url, linkCount),
    unsubscribeUrl,
  });
}
