// herald messages …: send one message to one contact (F0.8), see its fate, list a contact's
// messages; herald links verify: check a personal link as the customer's app would.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { findContact } from '../../app/contacts/get-contact.ts';
import { AppError, invalid } from '../../app/errors.ts';
import type { ContactRef, MessageContent, SendMessageInput } from '../../app/messages/message-input.ts';
import { getMessage, listMessages, type MessageView } from '../../app/messages/read-messages.ts';
import { sendMessage } from '../../app/messages/send-message.ts';
import { verifyPersonalLink } from '../../app/messages/verify-personal-link.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

function contactRef(to: string): ContactRef {
  if (/^\d+$/.test(to)) return { id: positiveInt(to, '--to') };
  if (to.includes('@')) return { email: to };
  return { phone: to };
}

function readOption(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw invalid(option, `cannot read ${path}: ${(err as Error).message}`);
  }
}

function parseData(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw invalid('--data', `not JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('--data', 'must be a JSON object, e.g. \'{"order":"A-17"}\'');
  return value as Record<string, unknown>;
}

function printFate(m: MessageView): void {
  process.stdout.write(
    `message ${m.id} to ${m.contact?.email ?? m.address ?? `contact ${m.contact_id}`} (${m.transactional ? 'transactional' : 'marketing'}; campaign ${m.campaign_id}, delivery ${m.delivery_id})\n` +
      `  status ${m.status}${m.reason ? `: ${m.reason} — ${m.meaning}` : ''}\n` +
      `${m.response ? `  server replied: ${m.response}\n` : ''}` +
      `${m.events.length ? `  events: ${m.events.map((e) => `${e.type} ${e.occurred_at}`).join(', ')}\n` : ''}` +
      `${m.why ? `  why: ${m.why.summary}\n` : ''}`,
  );
}

export function registerMessageCommands(program: Command): void {
  const m = program.command('messages').description('one message to one contact, from a template or written on the spot');

  m.command('send')
    .requiredOption('--to <contact>', 'contact id, email address or phone number')
    .option('--create-contact', 'create the contact when the email address is unknown')
    .option('--template <id>', 'a saved template', (v) => positiveInt(v, '--template'))
    .option('--subject <text>', 'subject of content written on the spot (Liquid allowed)')
    .option('--html-file <path>', 'HTML body (Liquid allowed)')
    .option('--mjml-file <path>', 'MJML body (Liquid allowed)')
    .option('--text-file <path>', 'plain-text body (Liquid allowed)')
    .option('--data <json>', 'what the template sees as {{ data.* }}')
    .option('--from <email>', 'sender address (default: the account default_from_email)')
    .option('--from-name <name>')
    .option('--reply-to <email>')
    .option('--transactional', 'passes marketing suppressions and quiet hours; never a hard bounce or the blocklist')
    .option('--key <key>', 'idempotency key: the same key again returns the same message')
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const bodies = { html: opts.htmlFile, mjml: opts.mjmlFile, text: opts.textFile } as Record<string, string | undefined>;
        const given = Object.entries(bodies).filter(([, v]) => v !== undefined);
        let content: MessageContent | undefined;
        if (opts.subject !== undefined || given.length) {
          if (opts.subject === undefined) throw invalid('--subject', 'content written on the spot needs --subject');
          if (!given.length) throw invalid('--subject', 'content written on the spot needs a body: --html-file, --mjml-file or --text-file');
          content = { subject: opts.subject };
          for (const [kind, path] of given) content[kind as 'html' | 'mjml' | 'text'] = readOption(path!, `--${kind}-file`);
        }
        const input: SendMessageInput = {
          contact: contactRef(opts.to),
          ...(opts.createContact ? { create_contact: true } : {}),
          ...(opts.template !== undefined ? { template_id: opts.template } : {}),
          ...(content ? { content } : {}),
          ...(opts.from ? { from_email: opts.from } : {}),
          ...(opts.fromName ? { from_name: opts.fromName } : {}),
          ...(opts.replyTo ? { reply_to: opts.replyTo } : {}),
          ...(opts.transactional ? { transactional: true } : {}),
          ...(opts.data !== undefined ? { data: parseData(opts.data) } : {}),
          ...(opts.key !== undefined ? { idempotency_key: opts.key } : {}),
        };
        const sent = await sendMessage(deps, actor, input).catch((err: unknown) => {
          // the API's advice names its JSON field; here the option is --create-contact
          if (err instanceof AppError && err.code === 'not_found' && err.field === 'contact.email') {
            throw new AppError('not_found', `contact ${opts.to} not found; add --create-contact to create it`, '--to');
          }
          throw err;
        });
        if (wantsJson(cmd)) return printJson(sent);
        const to = sent.contact?.email ?? `contact ${sent.contact_id}`;
        process.stdout.write(
          sent.replayed
            ? `the key ${opts.key} was used before: message ${sent.id} to ${to} (campaign ${sent.campaign_id}), status ${sent.status}; nothing new was queued — herald messages show ${sent.id}\n`
            : `queued message ${sent.id} to ${to} (campaign ${sent.campaign_id}); a running worker sends it — herald messages show ${sent.id}\n`,
        );
        for (const w of sent.warnings) process.stderr.write(`warning: ${w.message}\n`);
      }),
    );

  m.command('show <id>')
    .description("the message's fate: status, reason, the server's reply, events and why")
    .action(async (id, _opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const fate = await getMessage(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(fate);
        printFate(fate);
      }),
    );

  m.command('list')
    .option('--contact <contact>', 'only this contact (id or email)')
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const contactId = opts.contact ? (await findContact(deps, actor, opts.contact)).id : undefined;
        const page = await listMessages(deps, actor, { limit: 100, contactId });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'contact_id', 'address', 'status', 'reason', 'transactional', 'created_at', 'name']);
      }),
    );

  program
    .command('links')
    .description('personal links')
    .command('verify <url-or-token>')
    .description('check a personal link as the customer’s app would: the contact, the expiry and the purpose')
    .option('--purpose <purpose>', 'the purpose the link must have been made for (e.g. login, reset)')
    .action(async (value: string, opts: { purpose?: string }, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const link = /^https?:\/\//i.test(value) ? { url: value } : { token: value };
        const verified = await verifyPersonalLink(deps, actor, opts.purpose === undefined ? link : { ...link, purpose: opts.purpose });
        if (wantsJson(cmd)) return printJson(verified);
        process.stdout.write(`valid ${verified.purpose} link for contact ${verified.contact.id} (${verified.contact.email ?? verified.contact.phone ?? 'no address'}) until ${verified.expires_at}\n`);
      }),
    );
}
