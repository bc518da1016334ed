// The customer's app asks Herald whether a personal link is good (POST /api/v1/personal-links/verify):
// the contact it names, when it expires and its purpose. A link that is forged, altered, signed by
// another Herald or for another account gets one answer that reveals nothing more; a genuine but
// expired one says when it expired; one whose contact was deleted since is "not found".
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { type ContactView, toContactView } from '../contacts/contact-view.ts';
import { PERSONAL_LINK_PARAM, readPersonalLink } from '../links/personal-link-token.ts';

export interface VerifiedLink {
  contact: ContactView;
  expires_at: string;
  purpose: string;
}

const FORGED = "the link's signature does not match";

/** The token itself, or the herald_link parameter of a URL that carries one. */
function tokenOf(input: { token?: string; url?: string }): { token: string; field: string } {
  if ((input.token === undefined) === (input.url === undefined)) throw invalid('token', 'give token or url (one of them)');
  if (input.token !== undefined) return { token: input.token, field: 'token' };
  let url: URL;
  try {
    url = new URL(input.url!);
  } catch {
    throw invalid('url', `"${input.url}" is not an absolute URL`);
  }
  const token = url.searchParams.get(PERSONAL_LINK_PARAM);
  if (!token) throw invalid('url', `the URL has no ${PERSONAL_LINK_PARAM} parameter`);
  return { token, field: 'url' };
}

export async function verifyPersonalLink(deps: AppDeps, actor: Actor, input: { token?: string; url?: string; purpose?: string }): Promise<VerifiedLink> {
  const { token, field } = tokenOf(input);
  const claims = readPersonalLink(deps.config.secret, token);
  // Another account's genuine link is as good as forged to this caller: same words.
  if (!claims || claims.accountId !== actor.accountId) throw invalid(field, FORGED);
  if (claims.expiresAt.getTime() <= deps.clock.now().getTime()) throw invalid(field, `the link expired at ${claims.expiresAt.toISOString()}`);
  // An app that hands out links for several purposes says which one it expects at this door.
  if (input.purpose !== undefined && input.purpose !== claims.purpose) throw invalid('purpose', `the link is for "${claims.purpose}", not "${input.purpose}"`);
  const row = await deps.store.db.selectFrom('contacts').selectAll().where('account_id', '=', actor.accountId).where('id', '=', claims.contactId).executeTakeFirst();
  if (!row) throw new AppError('not_found', `contact ${claims.contactId} of this link no longer exists`, field);
  return { contact: toContactView(row), expires_at: claims.expiresAt.toISOString(), purpose: claims.purpose };
}
