// The per-campaign switch: open and click tracking is on unless the campaign's settings say
// `"tracking": false` (some senders must not track, e.g. under a works-council agreement).
// Read from the raw settings JSON so that it works before the API schema knows the field.
export function trackingEnabled(settingsJson: string | null | undefined): boolean {
  if (!settingsJson) return true;
  try {
    const settings: unknown = JSON.parse(settingsJson);
    return !(settings && typeof settings === 'object' && (settings as Record<string, unknown>).tracking === false);
  } catch {
    return true;
  }
}
