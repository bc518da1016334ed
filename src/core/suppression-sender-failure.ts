// Sender-failure protection: when receivers refuse many messages of a delivery for policy reasons
// (5.7.x: the sender's reputation, authentication or content), going on only burns the sender's
// reputation further. Past a share of the attempts the delivery is paused (reason
// `sender_failing`). Too few attempts prove nothing: three refusals out of ten can be one strict
// receiver, so nothing is decided before `minAttempts`.

export interface SenderFailureCounts {
  /** Messages handed to receivers so far (any outcome). */
  attempted: number;
  /** Of those, refused with a sender-policy class (5.7.x). */
  senderPolicyFailures: number;
}

export interface SenderFailurePolicy {
  minAttempts: number;
  /** A share, 0.05 for 5 %; the delivery pauses when the refused share is above it. */
  maxRate: number;
}

export interface SenderFailureVerdict {
  pause: boolean;
  /** One sentence for a person. */
  detail: string;
}

// Shares are compared in millionths so 0.05 × 200 does not become 10.000000000000002.
const PARTS = 1_000_000;

const percent = (share: number, digits: number) => String(Number((share * 100).toFixed(digits)));

export function senderFailureVerdict(counts: SenderFailureCounts, policy: SenderFailurePolicy): SenderFailureVerdict {
  const { attempted, senderPolicyFailures: refused } = counts;
  const threshold = `${percent(policy.maxRate, 2)} %`;
  const messages = (n: number) => `${n} ${n === 1 ? 'message' : 'messages'}`;
  if (attempted < policy.minAttempts) {
    return {
      pause: false,
      detail: `${refused} of ${messages(attempted)} were refused for policy reasons (5.7.x); fewer than ${policy.minAttempts} attempts are too few to judge the sender`,
    };
  }
  const share = attempted === 0 ? 0 : refused / attempted;
  const seen = `${refused} of ${messages(attempted)} (${percent(share, 1)} %) were refused for policy reasons (5.7.x)`;
  if (refused * PARTS > Math.round(policy.maxRate * PARTS) * attempted) {
    return { pause: true, detail: `${seen}, over the ${threshold} threshold: the delivery is paused to protect the sender's reputation` };
  }
  return { pause: false, detail: `${seen}, within the ${threshold} threshold` };
}
