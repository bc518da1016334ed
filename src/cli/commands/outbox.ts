// `herald outbox …`: what the built-in mail catcher received for the account.
import type { Command } from 'commander';
import { decodeWords } from 'postal-mime';
import { invalid } from '../../app/errors.ts';
import { clearOutbox } from '../../app/outbox/clear-outbox.ts';
import { getCaughtMessage, getCaughtMessageRaw } from '../../app/outbox/get-caught-message.ts';
import { listCaughtMessages } from '../../app/outbox/list-caught-messages.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function registerOutboxCommands(program: Command): void {
  const outbox = program.command('outbox').description('messages caught by the built-in mail catcher');

  outbox
    .command('list')
    .description('caught messages, newest first')
    .option('--to <address>', 'only messages to this recipient')
    .option('--q <text>', 'only messages whose subject contains this text')
    .option('--limit <n>', 'at most this many', '50')
    .option('--before <id>', 'only ids smaller than this (the next page)')
    .action(async (opts: { to?: string; q?: string; limit: string; before?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listCaughtMessages(deps, actor, {
          to: opts.to,
          q: opts.q,
          limit: positiveInt(opts.limit, '--limit'),
          before: opts.before ? positiveInt(opts.before, '--before') : undefined,
        });
        if (wantsJson(cmd)) return printJson(page);
        printTable(
          page.items.map((m) => ({ ...m, rcpt_to: m.rcpt_to.join(', ') })),
          ['id', 'received_at', 'mail_from', 'rcpt_to', 'subject', 'message_id'],
        );
        if (page.next_before !== null) process.stdout.write(`more: --before ${page.next_before}\n`);
      });
    });

  outbox
    .command('show <id>')
    .description('one caught message: headers and text (or --raw, --text, --html alone)')
    .option('--raw', 'print the raw source (RFC 5322)')
    .option('--text', 'print only the text part')
    .option('--html', 'print only the HTML part')
    .action(async (id: string, opts: { raw?: boolean; text?: boolean; html?: boolean }, cmd: Command) => {
      if ([opts.raw, opts.text, opts.html].filter(Boolean).length > 1) throw invalid('--raw', 'choose one of --raw, --text, --html');
      await withApp(cmd, async ({ deps, actor }) => {
        const messageId = positiveInt(id, 'id');
        if (opts.raw) return void process.stdout.write(withNewline(await getCaughtMessageRaw(deps, actor, messageId)));
        const m = await getCaughtMessage(deps, actor, messageId);
        if (opts.text) return void process.stdout.write(withNewline(m.text ?? ''));
        if (opts.html) return void process.stdout.write(withNewline(m.html ?? ''));
        if (wantsJson(cmd)) return printJson(m);
        const lines = [
          `id:          ${m.id}`,
          `received:    ${m.received_at}`,
          `ledger msg:  ${m.message_id ?? '(not linked)'}`,
          `envelope:    ${m.mail_from ?? '<>'} -> ${m.rcpt_to.join(', ')}`,
          `subject:     ${m.subject ?? ''}`,
          `size:        ${m.size} bytes`,
          '',
          ...m.headers.map((h) => `${h.name}: ${decodeWords(h.value)}`),
          '',
          m.text ?? (m.html ? '(no text part; see --html)' : '(empty)'),
        ];
        if (m.attachments.length > 0) {
          lines.push('', 'attachments:', ...m.attachments.map((a) => `  ${a.filename ?? '(unnamed)'} ${a.mime_type} ${a.size} bytes`));
        }
        process.stdout.write(withNewline(lines.join('\n')));
      });
    });

  outbox
    .command('clear')
    .description("delete all of the account's caught messages")
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const result = await clearOutbox(deps, actor);
        if (wantsJson(cmd)) return printJson(result);
        process.stdout.write(`deleted ${result.deleted} caught message${result.deleted === 1 ? '' : 's'}\n`);
      });
    });
}
