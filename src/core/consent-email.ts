// The built-in confirmation email of double opt-in: one short message with one link. It is not a
// campaign template on purpose — it must go out even for an account that has no template yet, and
// it carries nothing but the question.

export interface ConsentEmailInput {
  accountName: string;
  listName: string;
  confirmUrl: string;
  expiresAt: string;
}

export interface ConsentEmail {
  subject: string;
  html: string;
  text: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderConsentEmail(input: ConsentEmailInput): ConsentEmail {
  const subject = `Please confirm your subscription to ${input.listName}`;
  const until = `${input.expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">` +
    `<p>Hello,</p>` +
    `<p>Someone (hopefully you) asked to receive <strong>${escapeHtml(input.listName)}</strong> from ${escapeHtml(input.accountName)} at this address.</p>` +
    `<p><a href="${escapeHtml(input.confirmUrl)}" style="display:inline-block;padding:.5rem 1.25rem;border-radius:.375rem;background:#1d4ed8;color:#fff;text-decoration:none">Confirm my subscription</a></p>` +
    `<p>Or open this link: ${escapeHtml(input.confirmUrl)}</p>` +
    `<p>If you did not ask for this, ignore this email: you will not be subscribed. The link works until ${escapeHtml(until)}.</p>` +
    `</body></html>`;
  const text =
    `Hello,\n\nSomeone (hopefully you) asked to receive ${input.listName} from ${input.accountName} at this address.\n\n` +
    `Confirm your subscription: ${input.confirmUrl}\n\n` +
    `If you did not ask for this, ignore this email: you will not be subscribed. The link works until ${until}.\n`;
  return { subject, html, text };
}
