// The email copy of a notification (F2.2): Herald's own short message, not a campaign template —
// it must go out for an account that has no template, and it says only what the notification
// center says, with a link to it.

export interface NotificationEmailInput {
  title: string;
  body: string;
  severity: string;
  accountName: string;
  /** `${publicUrl}/#/notifications/<id>` */
  link: string;
  userEmail: string;
}

export interface NotificationEmail {
  subject: string;
  html: string;
  text: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderNotificationEmail(n: NotificationEmailInput): NotificationEmail {
  const subject = `[Herald] ${n.title}`.replace(/[\r\n]+/g, ' ');
  const why = `You get this because ${n.userEmail} subscribed to Herald notifications of ${n.accountName} by email. Change it: herald notifications subscribe --user ${n.userEmail} --off, or in the dashboard.`;
  const text = `${n.title}\n\n${n.body}\n\nOpen it in Herald: ${n.link}\n\n-- \n${why}\n`;
  const color = n.severity === 'error' ? '#b91c1c' : n.severity === 'warning' ? '#b45309' : '#1d4ed8';
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2937">` +
    `<p style="color:${color};font-weight:600">${escapeHtml(n.title)}</p>` +
    `<p style="white-space:pre-wrap">${escapeHtml(n.body)}</p>` +
    `<p><a href="${escapeHtml(n.link)}">Open it in Herald</a></p>` +
    `<p style="color:#6b7280;font-size:.875em">${escapeHtml(why)}</p>` +
    `</body></html>`;
  return { subject, html, text };
}
