import { describe, expect, it } from 'vitest';
import { buildFunnel, summarizeFunnel } from '../src/core/audience-funnel.ts';

describe('audience funnel', () => {
  it('subtracts each stage’s reasons in order and explains a zero', () => {
    const steps = buildFunnel({ total: 1200, byReason: { excluded_by_list: 1200 }, pending: 0 });
    expect(steps.map((s) => [s.stage, s.count])).toEqual([
      ['in_lists', 1200],
      ['after_exclusions', 0],
      ['reachable', 0],
      ['not_suppressed', 0],
      ['consented', 0],
      ['inside_limits', 0],
      ['sent', 0],
    ]);
    expect(summarizeFunnel(steps, [{ name: 'Customers', members: 1200 }], true)).toMatch(
      /^0 recipients: lists Customers \(1,200\) hold 1,200; 1,200 are left in the lists, and none after exclusions — 1,200 excluded_by_list/,
    );
  });

  it('counts what was sent apart from what still waits', () => {
    const steps = buildFunnel({ total: 10, byReason: { unsubscribed: 2, no_address_for_channel: 1, quiet_hours: 2, rejected_recipient: 1 }, pending: 1 });
    expect(Object.fromEntries(steps.map((s) => [s.stage, s.count]))).toMatchObject({ reachable: 9, not_suppressed: 7, consented: 7, inside_limits: 5, sent: 3 });
    expect(summarizeFunnel(steps, [{ name: 'A', members: 10 }], false)).toBe('3 sent of 10 contacts in A (10); 5 were inside every rule.');
  });

  it('says when the lists are empty', () => {
    expect(summarizeFunnel(buildFunnel({ total: 0, byReason: {}, pending: 0 }), [{ name: 'New', members: 0 }], true)).toBe(
      "0 recipients: the campaign's lists New (0) have no members.",
    );
  });
});
