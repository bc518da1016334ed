// The message every sender in the send benchmark sends: a small HTML newsletter personalised with
// the contact's first name and carrying an unsubscribe link. Herald gets it as a Liquid template;
// the plain nodemailer reference fills the same text in with string replacement, so both put
// messages of the same shape and size on the wire.

export const FROM_EMAIL = 'news@herald-bench.example.com';
export const FROM_NAME = 'Herald Bench';

export const SUBJECT = 'Hello {{ contact.first_name | default: "there" }}, the March news';

const PARAGRAPH =
  'Spring is here and so is our new collection. We picked the pieces our customers asked for most, ' +
  'and we kept the prices where they were. Come and see them in the shop or online.';

export const BODY =
  '<html><body style="font-family:sans-serif">' +
  '<h1>Hi {{ contact.first_name | default: "there" }}!</h1>' +
  `<p>${PARAGRAPH}</p><p>${PARAGRAPH}</p><p>${PARAGRAPH}</p>` +
  '<p><a href="https://shop.example.com/spring">See the collection</a></p>' +
  '<p>Greetings from {{ account.name }}.</p>' +
  '<p style="font-size:small"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>' +
  '</body></html>';

/** The same message filled in without Liquid (for the reference sender). */
export function plainNewsletter(firstName: string, accountName: string, unsubscribeUrl: string) {
  const fill = (s: string) =>
    s
      .replaceAll('{{ contact.first_name | default: "there" }}', firstName)
      .replaceAll('{{ account.name }}', accountName)
      .replaceAll('{{ unsubscribe_url }}', unsubscribeUrl);
  const html = fill(BODY);
  const text = html
    .replace(/<\/(p|h1)>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .trim();
  return { subject: fill(SUBJECT), html, text };
}
