// The audience funnel of a campaign (E1, F2.3): from "in the lists" down to "sent", each step
// with the recipients it lost and why. Pure: it takes the counts per outcome and reason.
import { REASONS, type Reason } from './reasons.ts';

export const FUNNEL_STAGES = [
  { stage: 'in_lists', label: 'in the lists', loses: [] },
  { stage: 'after_exclusions', label: 'after exclusions', loses: ['excluded_by_list', 'excluded_by_segment'] },
  { stage: 'reachable', label: 'reachable on the channel', loses: ['no_address_for_channel', 'invalid_address'] },
  { stage: 'not_suppressed', label: 'not suppressed', loses: ['blocklisted', 'suppressed_bounce', 'suppressed_complaint', 'unsubscribed'] },
  { stage: 'consented', label: 'consented', loses: ['consent_pending', 'consent_declined'] },
  {
    stage: 'inside_limits',
    label: 'inside limits',
    loses: ['duplicate', 'frequency_cap', 'quiet_hours', 'daily_limit', 'domain_throttle', 'budget_exhausted'],
  },
  {
    stage: 'sent',
    label: 'sent',
    loses: ['rejected_recipient', 'rejected_sender_policy', 'rejected_message', 'rejected_unknown', 'retries_exhausted', 'render_failed', 'cancelled', 'sender_failing'],
  },
] as const satisfies ReadonlyArray<{ stage: string; label: string; loses: readonly Reason[] }>;

export interface FunnelInput {
  /** Everyone in the campaign's lists (the ledger's rows, or the dry run's). */
  total: number;
  /** Rows per reason (skips, deferrals, failures). */
  byReason: Partial<Record<string, number>>;
  /** Rows not yet handed off and not held by a reason (queued, in flight, deferred by a 4xx). */
  pending: number;
}

export interface FunnelStep {
  stage: string;
  label: string;
  count: number;
  lost: Array<{ reason: string; count: number; meaning: string }>;
}

export function buildFunnel(input: FunnelInput): FunnelStep[] {
  let remaining = input.total;
  const steps: FunnelStep[] = [];
  for (const s of FUNNEL_STAGES) {
    const lost = s.loses
      .map((reason) => ({ reason, count: input.byReason[reason] ?? 0, meaning: REASONS[reason] }))
      .filter((l) => l.count > 0);
    remaining -= lost.reduce((n, l) => n + l.count, 0);
    // The last step counts only what was actually handed off and accepted, not what still waits.
    const count = s.stage === 'sent' ? Math.max(0, remaining - input.pending) : remaining;
    steps.push({ stage: s.stage, label: s.label, count, lost });
  }
  return steps;
}

/**
 * One sentence for a person: where the audience drops to zero and the biggest reason there, or
 * how many get (or got) the message.
 */
export function summarizeFunnel(steps: FunnelStep[], lists: Array<{ name: string; members: number }>, dryRun: boolean): string {
  const listText = lists.length ? lists.map((l) => `${l.name} (${l.members.toLocaleString('en')})`).join(', ') : 'no lists';
  const first = steps[0];
  if (first.count === 0) return `0 recipients: the campaign's lists ${listText} have no members.`;
  const zero = steps.find((s) => s.count === 0 && s.stage !== 'sent');
  if (zero) {
    const biggest = [...zero.lost].sort((a, b) => b.count - a.count)[0];
    const prev = steps[steps.indexOf(zero) - 1];
    return `0 recipients: lists ${listText} hold ${first.count.toLocaleString('en')}; ${prev.count.toLocaleString('en')} are left ${prev.label}, and none ${zero.label}${
      biggest ? ` — ${biggest.count.toLocaleString('en')} ${biggest.reason}: ${biggest.meaning}` : ''
    }`;
  }
  const last = steps[steps.length - 1];
  const sendable = steps[steps.length - 2].count;
  return dryRun
    ? `${sendable.toLocaleString('en')} of ${first.count.toLocaleString('en')} contacts in ${listText} would be sent now.`
    : `${last.count.toLocaleString('en')} sent of ${first.count.toLocaleString('en')} contacts in ${listText}; ${sendable.toLocaleString('en')} were inside every rule.`;
}
