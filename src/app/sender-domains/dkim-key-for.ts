// The DKIM key that signs mail from an address: the account's key for the From domain, or else
// for its nearest parent domain (d=example.com on mail from news.example.com still aligns with
// DMARC's relaxed mode, so one key can serve every subdomain).
import type { DkimKey } from '../../transports/email/email-transport.ts';
import type { AppDeps } from '../deps.ts';
import { domainOfAddress } from './domain-name.ts';

/** The domain and its parents with at least two labels: a.b.example.com → [a.b.example.com, b.example.com, example.com]. */
function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

export async function dkimKeyFor(deps: AppDeps, accountId: number, fromAddress: string): Promise<DkimKey | null> {
  const domain = domainOfAddress(fromAddress);
  if (!domain) return null;
  const candidates = domainAndParents(domain);
  const rows = await deps.store.db
    .selectFrom('sender_domains')
    .select(['domain', 'dkim_selector', 'dkim_private_key'])
    .where('account_id', '=', accountId)
    .where('domain', 'in', candidates)
    .where('dkim_private_key', 'is not', null)
    .where('dkim_selector', 'is not', null)
    .execute();
  if (rows.length === 0) return null;
  const best = rows.sort((a, b) => b.domain.length - a.domain.length)[0];
  return { domainName: best.domain, keySelector: best.dkim_selector!, privateKey: best.dkim_private_key! };
}
