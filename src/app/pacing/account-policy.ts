// Reading and changing the pacing part of an account's policy (accounts.settings → "pacing").
// Only what the account set is stored; defaults are filled in on read. Other settings keys are
// left as they are.
import { DEFAULT_PACING_POLICY, mergePacingPolicy, type PacingPolicy, resolvePacingPolicy, validatePacingPolicy } from '../../core/pacing/pacing-policy.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { changeAccountSettings, readAccountSettings } from '../accounts/account-settings.ts';

type Json = Record<string, unknown>;

/** The account's full pacing policy. A stored policy that no longer validates stops with its field. */
export async function loadPacingPolicy(deps: AppDeps, accountId: number): Promise<PacingPolicy> {
  const settings = await readAccountSettings(deps, accountId);
  const { policy, problems } = resolvePacingPolicy(settings.pacing ?? {});
  if (problems.length) {
    const p = problems[0];
    throw new AppError('invalid_state', `the account's stored pacing policy is invalid at ${p.field}: ${p.message}; fix it with PUT /api/v1/account/policy`, p.field, { problems });
  }
  return policy;
}

/**
 * Applies a partial pacing policy: validated as a whole after merging (nothing is saved when any
 * field is wrong; the error names the first and lists all). A domain throttle set to null drops
 * the account's override (the default comes back). Switching warm-up on stamps its start.
 */
export async function updatePacingPolicy(deps: AppDeps, actor: Actor, patch: Json): Promise<PacingPolicy> {
  const now = deps.clock.now().toISOString();
  return changeAccountSettings(deps, actor.accountId, async (settings) => {
    const stored = (settings.pacing ?? {}) as Json;
    const before = mergePacingPolicy(DEFAULT_PACING_POLICY, stored) as unknown as PacingPolicy;

    const next = mergePacingPolicy(stored, patch);
    if (typeof next.domain_throttles === 'object' && next.domain_throttles !== null) {
      const throttles = next.domain_throttles as Json;
      for (const [domain, t] of Object.entries(throttles)) if (t === null) delete throttles[domain];
    }
    const warmupPatch = patch.warmup as Json | undefined;
    if (warmupPatch?.enabled === true && warmupPatch.started_at === undefined && (!before.warmup.enabled || !before.warmup.started_at)) {
      next.warmup = { ...(next.warmup as Json), started_at: now };
    }

    const full = mergePacingPolicy(DEFAULT_PACING_POLICY, next);
    const problems = validatePacingPolicy(full);
    if (problems.length) throw invalid(problems[0].field, `${problems[0].field}: ${problems[0].message}`, { problems });

    return { patch: { pacing: next }, result: full as unknown as PacingPolicy };
  });
}
