// The account's approval rule (F4.2) and the four-eyes decision, pure.
// - required: a launch becomes a request that someone holding deliveries:start approves;
// - four_eyes: that someone is neither the campaign's author nor whoever asked for the launch.
// People are told apart by who they are ("user:7"; an API key made by a user is that user, see
// src/app/approvals/person-of.ts; other keys and the CLI by their label).

export interface ApprovalSettings {
  required: boolean;
  four_eyes: boolean;
}

export const DEFAULT_APPROVAL_SETTINGS: ApprovalSettings = { required: false, four_eyes: false };

/** The stored part (accounts.settings → "approval") with defaults for what is missing. */
export function resolveApprovalSettings(stored: unknown): ApprovalSettings {
  const s = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  return {
    required: typeof s.required === 'boolean' ? s.required : DEFAULT_APPROVAL_SETTINGS.required,
    four_eyes: typeof s.four_eyes === 'boolean' ? s.four_eyes : DEFAULT_APPROVAL_SETTINGS.four_eyes,
  };
}

export interface FourEyesConflict {
  /** Who the approver would be approving their own work as. */
  as: 'author' | 'requester';
  label: string;
}

/**
 * Under four-eyes the approver must differ from the author and from the requester; returns the
 * first conflict, or null when the approval may go ahead (also when four-eyes is off).
 */
export function fourEyesConflict(
  settings: ApprovalSettings,
  people: { approver: string; requester: string; author: string | null },
): FourEyesConflict | null {
  if (!settings.four_eyes) return null;
  if (people.author !== null && people.approver === people.author) return { as: 'author', label: people.author };
  if (people.approver === people.requester) return { as: 'requester', label: people.requester };
  return null;
}
