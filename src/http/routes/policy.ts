// The account's delivery policy (pacing: quiet hours, limits, throttles, frequency cap, warm-up,
// complaint adaptation) and today's limits with the rules behind them.
import { loadPacingPolicy, updatePacingPolicy } from '../../app/pacing/account-policy.ts';
import { readAccountLimits } from '../../app/pacing/read-limits.ts';
import type { RouteDef } from '../route-def.ts';

export const policyRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/account/policy',
    permission: 'settings:read',
    tag: 'policy',
    summary: "The account's pacing policy, with defaults filled in",
    handler: async ({ deps, actor }) => ({ pacing: await loadPacingPolicy(deps, actor.accountId) }),
  },
  {
    method: 'PUT',
    url: '/api/v1/account/policy',
    permission: 'settings:write',
    tag: 'policy',
    summary: 'Change part of the pacing policy; validated as a whole, nothing is saved when a field is wrong (the error names it)',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['pacing'],
        properties: {
          pacing: {
            type: 'object',
            description:
              'Partial policy: quiet_hours {enabled, start, end, apply_to_one_off, ramp_minutes}, timezone, daily_limit {channel: n|null}, domain_throttles {domain|"*": {per_minute: n|null} | null}, frequency_cap {max_messages, per_days}|null, warmup {enabled, start_per_day, growth_factor, started_at}, complaint_adaptive {enabled, grow_below, shrink_above, stop_at, step}',
          },
        },
      },
    },
    handler: async ({ deps, actor, body }) => ({ pacing: await updatePacingPolicy(deps, actor, body.pacing) }),
  },
  {
    method: 'GET',
    url: '/api/v1/account/limits',
    permission: 'settings:read',
    tag: 'policy',
    summary: "Today's counters and effective limits (warm-up and complaint adaptation applied and explained)",
    handler: ({ deps, actor }) => readAccountLimits(deps, actor),
  },
];
