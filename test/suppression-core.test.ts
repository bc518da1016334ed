// The pure parts of suppressions: the sender-failure verdict, the strength of reasons, the address
// a suppression is keyed by, the source of a bounce, and the CLI's address-file reader.
import { describe, expect, it } from 'vitest';
import { readAddressFile } from '../src/cli/commands/suppressions.ts';
import { bounceSource, normalizeSuppressionAddress } from '../src/core/suppression-address.ts';
import { strongerSuppression, type SuppressionReason } from '../src/core/suppression-reason.ts';
import { senderFailureVerdict } from '../src/core/suppression-sender-failure.ts';

describe('senderFailureVerdict', () => {
  const policy = { minAttempts: 50, maxRate: 0.05 };
  it.each([
    // attempted, refused, pause, detail
    [200, 41, true, "41 of 200 messages (20.5 %) were refused for policy reasons (5.7.x), over the 5 % threshold: the delivery is paused to protect the sender's reputation"],
    [200, 10, false, '10 of 200 messages (5 %) were refused for policy reasons (5.7.x), within the 5 % threshold'],
    [200, 11, true, "11 of 200 messages (5.5 %) were refused for policy reasons (5.7.x), over the 5 % threshold: the delivery is paused to protect the sender's reputation"],
    [50, 3, true, "3 of 50 messages (6 %) were refused for policy reasons (5.7.x), over the 5 % threshold: the delivery is paused to protect the sender's reputation"],
    [49, 49, false, '49 of 49 messages were refused for policy reasons (5.7.x); fewer than 50 attempts are too few to judge the sender'],
    [0, 0, false, '0 of 0 messages were refused for policy reasons (5.7.x); fewer than 50 attempts are too few to judge the sender'],
    [3000, 0, false, '0 of 3000 messages (0 %) were refused for policy reasons (5.7.x), within the 5 % threshold'],
    [300, 100, true, "100 of 300 messages (33.3 %) were refused for policy reasons (5.7.x), over the 5 % threshold: the delivery is paused to protect the sender's reputation"],
  ] as const)('%i attempted, %i refused → pause %s', (attempted, refused, pause, detail) => {
    expect(senderFailureVerdict({ attempted, senderPolicyFailures: refused }, policy)).toEqual({ pause, detail });
  });

  it('reads fractional thresholds exactly (0.1 × 30 is not 3.0000000000000004)', () => {
    expect(senderFailureVerdict({ attempted: 30, senderPolicyFailures: 3 }, { minAttempts: 1, maxRate: 0.1 }).pause).toBe(false);
    expect(senderFailureVerdict({ attempted: 30, senderPolicyFailures: 4 }, { minAttempts: 1, maxRate: 0.1 }).pause).toBe(true);
    expect(senderFailureVerdict({ attempted: 1000, senderPolicyFailures: 26 }, { minAttempts: 1, maxRate: 0.025 }).detail).toContain('over the 2.5 % threshold');
    expect(senderFailureVerdict({ attempted: 1, senderPolicyFailures: 1 }, { minAttempts: 1, maxRate: 0 }).pause).toBe(true);
    expect(senderFailureVerdict({ attempted: 1, senderPolicyFailures: 0 }, { minAttempts: 1, maxRate: 0 }).pause).toBe(false);
  });
});

describe('strongerSuppression', () => {
  const fact = (reason: SuppressionReason) => ({ reason, source: reason, created_at: '2026-01-01T00:00:00.000Z' });
  it.each([
    [['unsubscribe', 'complaint'], 'complaint'],
    [['complaint', 'bounce'], 'bounce'],
    [['bounce', 'blocklist'], 'blocklist'],
    [['blocklist', 'unsubscribe', 'bounce'], 'blocklist'],
    [['unsubscribe', 'bounce', 'complaint'], 'bounce'],
    [['unsubscribe'], 'unsubscribe'],
  ] as const)('%j → %s', (reasons, strongest) => {
    let current: ReturnType<typeof fact> | undefined;
    for (const r of reasons) current = strongerSuppression(current, fact(r));
    expect(current?.reason).toBe(strongest);
  });
});

describe('suppression addresses', () => {
  it.each([
    ['email', ' Anna@Example.COM ', 'anna@example.com'],
    ['sms', '0049 151 1234-5678', '+4915112345678'],
    ['sms', '+1 (415) 555-0100', '+14155550100'],
    ['messenger', '  @anna ', '@anna'],
  ])('%s %j → %s', (channel, raw, value) => {
    expect(normalizeSuppressionAddress(channel, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['email', 'not-an-address', /missing @/],
    ['sms', '0151 12345678', /country code/],
    ['sms', 'anna@example.com', /letters/],
    ['messenger', '   ', /empty/],
  ])('%s %j is refused', (channel, raw, reason) => {
    const n = normalizeSuppressionAddress(channel, raw);
    expect(n.ok).toBe(false);
    if (!n.ok) expect(n.reason).toMatch(reason);
  });

  it('records a bounce with its reply on one line, cut to 200 characters', () => {
    expect(bounceSource('550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try again')).toBe('bounce: 550-5.1.1 The email account does not exist. 550 5.1.1 Try again');
    const long = bounceSource(`550 5.1.1 ${'x'.repeat(500)}`);
    expect(long.length).toBe('bounce: '.length + 200);
    expect(long.endsWith('…')).toBe(true);
    expect(bounceSource('  ')).toBe('bounce: no reply text');
  });
});

describe('readAddressFile', () => {
  it('skips a BOM, a header, blank lines and comments and remembers line numbers', () => {
    expect(readAddressFile('\uFEFFemail\r\na@example.com\r\n\r\n# old ones\r\nb@example.com\n')).toEqual({
      addresses: ['a@example.com', 'b@example.com'],
      lines: [2, 5],
    });
  });
});
