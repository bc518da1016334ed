// One message of the plain reference sender, built exactly as the nodemailer pool loop sends it;
// also used to size smtp-source's messages like the real ones.
import type { SendMailOptions } from 'nodemailer';
import { signToken } from '../../src/app/links/signed-token.ts';
import { FROM_EMAIL, FROM_NAME, plainNewsletter } from './newsletter.ts';

const FIRST_NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ida', 'Jonas', 'Katja', 'Lukas'];
const SECRET = 'herald-development-secret-change-me';

export function referenceMail(i: number): SendMailOptions {
  // A signed unsubscribe link like Herald's (same HMAC work per message).
  const unsubscribeUrl = `http://127.0.0.1:8025/u/${signToken(SECRET, 'unsubscribe', i)}`;
  const m = plainNewsletter(FIRST_NAMES[i % FIRST_NAMES.length], 'Default account', unsubscribeUrl);
  return {
    from: `${FROM_NAME} <${FROM_EMAIL}>`,
    to: `c${i}@example.com`,
    subject: m.subject,
    html: m.html,
    text: m.text,
    messageId: `<ref.${i}@herald-bench.example.com>`,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
