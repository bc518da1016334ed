// The Liquid filter `personal_link`: {{ "https://photos.example.com/login" | personal_link: "7d" }}
// turns a URL of the customer's app into one that logs this contact in until the link expires
// (duration 15m…30d, default 24h; an optional second argument labels the purpose, default "login").
//
// Templates never see the secret: the signer is a closure put into the render scope under a
// Symbol key, which no Liquid expression can name (Liquid paths are strings), and the filter reads
// the contact id from the scope like any template would. A render without a signer (no contact to
// sign for) fails with a sentence instead of producing an unsigned link.
import type { Liquid } from 'liquidjs';
import { DEFAULT_LINK_DURATION, checkLinkPurpose, parseLinkDuration } from '../../core/link-duration.ts';
import { DEFAULT_LINK_PURPOSE, PERSONAL_LINK_PARAM, signPersonalLink } from '../links/personal-link-token.ts';

export interface PersonalLinkSigner {
  /** The token for this contact, valid for `ms` from the signer's now. */
  sign(contactId: number, ms: number, purpose: string): string;
}

/** Where the signer sits in a render scope; see renderContextFor. */
export const PERSONAL_LINKS: unique symbol = Symbol('herald.personal-links');

/** A signer for one account at one instant (the dispatcher makes one per hand-off, previews one per render). */
export function personalLinkSigner(secret: string, accountId: number, now: Date): PersonalLinkSigner {
  return {
    sign: (contactId, ms, purpose) => signPersonalLink(secret, { accountId, contactId, expiresAt: new Date(now.getTime() + ms), purpose }),
  };
}

export function registerPersonalLinkFilter(engine: Liquid): void {
  engine.registerFilter('personal_link', function (value: unknown, duration?: unknown, purpose?: unknown) {
    const signer = (this.context.environments as Record<symbol, PersonalLinkSigner | undefined>)[PERSONAL_LINKS];
    if (!signer) throw new Error('personal_link works only when the message is rendered for a contact');
    const contactId = this.context.getSync(['contact', 'id']);
    if (typeof contactId !== 'number') throw new Error('personal_link needs a contact with an id');
    let url: URL;
    try {
      url = new URL(String(value ?? ''));
    } catch {
      throw new Error(`personal_link: "${String(value ?? '')}" is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`personal_link: "${url.href}" is not an http(s) URL`);
    const d = parseLinkDuration(duration === undefined || duration === null ? DEFAULT_LINK_DURATION : String(duration));
    if (!d.ok) throw new Error(`personal_link: ${d.problem}`);
    const label = purpose === undefined || purpose === null ? DEFAULT_LINK_PURPOSE : String(purpose);
    const problem = checkLinkPurpose(label);
    if (problem) throw new Error(`personal_link: ${problem}`);
    url.searchParams.set(PERSONAL_LINK_PARAM, signer.sign(contactId, d.ms, label));
    return url.toString();
  });
}
