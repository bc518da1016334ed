// The company profile (name, phone, postal address: they also fill the legal footer that
// marketing mail must carry) and billing readiness (F0.4, F3.1). Billing is an interface with an
// embedded provider: self-hosted Herald needs no payment, so it reports "verified" unless an
// operator switches it off (e.g. a hosting parent account that validates its tenants' payment).
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { normalizeEmail, normalizePhone } from '../../core/address.ts';
import { consentSettings } from '../../core/consent-settings.ts';
import { readAccountSettings, updateAccountSettings } from './account-settings.ts';

export interface CompanyProfile {
  company_name: string | null;
  phone: string | null;
  postal_address: string | null;
  default_from_email: string | null;
}

export interface BillingState {
  provider: 'self-hosted';
  verified: boolean;
}

export interface AccountProfile {
  profile: CompanyProfile;
  billing: BillingState;
  /** How long a double opt-in confirmation request stays open (hours). */
  consent_expiry_hours: number;
}

const EMPTY: CompanyProfile = { company_name: null, phone: null, postal_address: null, default_from_email: null };

export function profileOf(settings: Record<string, unknown>): AccountProfile {
  const p = { ...EMPTY, ...((settings.profile as Partial<CompanyProfile>) ?? {}) };
  if (typeof settings.default_from_email === 'string') p.default_from_email = settings.default_from_email;
  const b = (settings.billing as Partial<BillingState>) ?? {};
  const consent = consentSettings(JSON.stringify(settings));
  return { profile: p, billing: { provider: 'self-hosted', verified: b.verified ?? true }, consent_expiry_hours: consent.expiry_hours };
}

export async function getAccountProfile(deps: AppDeps, actor: Actor): Promise<AccountProfile> {
  return profileOf(await readAccountSettings(deps, actor.accountId));
}

export async function updateAccountProfile(
  deps: AppDeps,
  actor: Actor,
  input: Partial<CompanyProfile> & { billing_verified?: boolean; consent_expiry_hours?: number },
): Promise<AccountProfile> {
  const current = await getAccountProfile(deps, actor);
  const next: CompanyProfile = { ...current.profile };
  if (input.company_name !== undefined) next.company_name = input.company_name?.trim() || null;
  if (input.postal_address !== undefined) next.postal_address = input.postal_address?.trim() || null;
  if (input.phone !== undefined) {
    if (input.phone === null || input.phone.trim() === '') next.phone = null;
    else {
      const r = normalizePhone(input.phone);
      if (!r.ok) throw invalid('phone', `phone: ${r.reason}`);
      next.phone = r.value;
    }
  }
  if (input.default_from_email !== undefined) {
    if (input.default_from_email === null || input.default_from_email === '') next.default_from_email = null;
    else {
      const r = normalizeEmail(input.default_from_email);
      if (!r.ok) throw invalid('default_from_email', `default_from_email: ${r.reason}`);
      next.default_from_email = r.value;
    }
  }
  const billing = { provider: 'self-hosted' as const, verified: input.billing_verified ?? current.billing.verified };
  if (input.consent_expiry_hours !== undefined) {
    const check = consentSettings(JSON.stringify({ consent_expiry_hours: input.consent_expiry_hours }));
    if (check.problems.length) throw invalid('consent_expiry_hours', check.problems[0]);
  }
  const settings = await updateAccountSettings(deps, actor.accountId, {
    profile: next,
    billing,
    default_from_email: next.default_from_email,
    ...(input.consent_expiry_hours !== undefined ? { consent_expiry_hours: input.consent_expiry_hours } : {}),
  });
  return profileOf(settings);
}
