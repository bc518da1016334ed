// `herald templates …`: manage email templates from files, preview them for a contact.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { invalid } from '../../app/errors.ts';
import type { TemplateFormat } from '../../app/templates/compile-template.ts';
import { createTemplate } from '../../app/templates/create-template.ts';
import { deleteTemplate } from '../../app/templates/delete-template.ts';
import { getTemplate } from '../../app/templates/get-template.ts';
import { listTemplates } from '../../app/templates/list-templates.ts';
import { previewTemplate } from '../../app/templates/preview-template.ts';
import { checkFormat } from '../../app/templates/template-input.ts';
import { updateTemplate } from '../../app/templates/update-template.ts';
import { validateTemplate } from '../../app/templates/validate-template.ts';
import type { LintWarning } from '../../core/template-lint.ts';
import { printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

function positiveId(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalid(field, `must be a positive whole number, got "${value}"`);
  return n;
}

function readBodyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw invalid('--file', `cannot read ${file}: ${(err as Error).message}`);
  }
}

/** --format wins; else the extension (.mjml, .html/.htm); else the content (an MJML body starts with <mjml>). */
function formatOf(file: string, body: string, explicit: string | undefined): TemplateFormat {
  if (explicit) return checkFormat(explicit);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mjml') return 'mjml';
  if (ext === '.html' || ext === '.htm') return 'html';
  return /^\s*<mjml[\s>]/i.test(body) ? 'mjml' : 'html';
}

function printWarnings(warnings: LintWarning[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w.code}: ${w.message}\n  hint: ${w.hint}\n`);
}

export function registerTemplateCommands(program: Command): void {
  const templates = program.command('templates').description('email templates (MJML or HTML with Liquid)');

  templates
    .command('list')
    .description('list templates by id')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listTemplates(deps, actor, { limit: positiveId(opts.limit, '--limit'), after: Number(opts.after) || 0 });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items, ['id', 'name', 'format', 'version', 'subject', 'updated_at']);
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });

  templates
    .command('show <id>')
    .description('a template with its body')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const t = await getTemplate(deps, actor, positiveId(id, 'id'));
        if (wantsJson(cmd)) return printJson(t);
        process.stdout.write(
          `id:       ${t.id}\nname:     ${t.name}\nchannel:  ${t.channel}\nformat:   ${t.format}\nversion:  ${t.version}\n` +
            `updated:  ${t.updated_at}\nsubject:  ${t.subject}\n\n${t.body}${t.body.endsWith('\n') ? '' : '\n'}`,
        );
      });
    });

  templates
    .command('create')
    .description('create a template from a file; refused when its Liquid or MJML does not compile')
    .requiredOption('--name <name>', 'template name')
    .requiredOption('--subject <subject>', 'subject line (Liquid)')
    .requiredOption('--file <path>', 'body file (.mjml or .html)')
    .option('--format <format>', 'mjml or html (default: from the file extension)')
    .action(async (opts: { name: string; subject: string; file: string; format?: string }, cmd: Command) => {
      const body = readBodyFile(opts.file);
      const format = formatOf(opts.file, body, opts.format);
      await withApp(cmd, async ({ deps, actor }) => {
        const saved = await createTemplate(deps, actor, { name: opts.name, format, subject: opts.subject, body });
        if (wantsJson(cmd)) return printJson(saved);
        process.stdout.write(`created template ${saved.id} "${saved.name}" (${saved.format}, version ${saved.version})\n`);
        printWarnings(saved.warnings);
      });
    });

  templates
    .command('update <id>')
    .description('change a template (bumps its version); refused when the result does not compile')
    .option('--file <path>', 'new body file')
    .option('--subject <subject>', 'new subject line')
    .option('--name <name>', 'new name')
    .option('--format <format>', 'mjml or html (default: from the file extension when --file is given)')
    .action(async (id: string, opts: { file?: string; subject?: string; name?: string; format?: string }, cmd: Command) => {
      let body: string | undefined;
      let format = opts.format === undefined ? undefined : checkFormat(opts.format);
      if (opts.file !== undefined) {
        body = readBodyFile(opts.file);
        format = formatOf(opts.file, body, opts.format);
      }
      await withApp(cmd, async ({ deps, actor }) => {
        const saved = await updateTemplate(deps, actor, positiveId(id, 'id'), { name: opts.name, subject: opts.subject, body, format });
        if (wantsJson(cmd)) return printJson(saved);
        process.stdout.write(`updated template ${saved.id} "${saved.name}" to version ${saved.version}\n`);
        if (saved.notice) process.stdout.write(`${saved.notice}\n`);
        printWarnings(saved.warnings);
      });
    });

  templates
    .command('validate')
    .description('compile and lint a file without saving it')
    .requiredOption('--file <path>', 'body file (.mjml or .html)')
    .option('--subject <subject>', 'subject line (Liquid)', 'Subject')
    .option('--format <format>', 'mjml or html (default: from the file extension)')
    .action(async (opts: { file: string; subject: string; format?: string }, cmd: Command) => {
      const body = readBodyFile(opts.file);
      const { warnings } = await validateTemplate({ format: formatOf(opts.file, body, opts.format), subject: opts.subject, body });
      if (wantsJson(cmd)) return printJson({ warnings });
      process.stdout.write(`${opts.file} compiles${warnings.length ? ` with ${warnings.length} warning(s)` : ''}\n`);
      printWarnings(warnings);
    });

  templates
    .command('preview <id>')
    .description('render a template for a contact (or a sample contact)')
    .option('--contact <id>', 'a contact of this account')
    .option('--part <part>', 'print only this part: html, text or subject')
    .action(async (id: string, opts: { contact?: string; part?: string }, cmd: Command) => {
      if (opts.part !== undefined && !['html', 'text', 'subject'].includes(opts.part)) {
        throw invalid('--part', `must be html, text or subject, got "${opts.part}"`);
      }
      await withApp(cmd, async ({ deps, actor }) => {
        const contactId = opts.contact === undefined ? undefined : positiveId(opts.contact, '--contact');
        const preview = await previewTemplate(deps, actor, positiveId(id, 'id'), { contactId });
        if (wantsJson(cmd)) return printJson(preview);
        const part = opts.part as 'html' | 'text' | 'subject' | undefined;
        if (part) {
          process.stdout.write(`${preview[part]}\n`);
        } else {
          process.stdout.write(`Subject: ${preview.subject}\n\n${preview.text}\n`);
        }
        printWarnings(preview.warnings);
      });
    });

  templates
    .command('delete <id>')
    .description('delete a template no campaign uses')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const templateId = positiveId(id, 'id');
        await deleteTemplate(deps, actor, templateId);
        if (wantsJson(cmd)) return printJson({ deleted: templateId });
        process.stdout.write(`deleted template ${templateId}\n`);
      });
    });
}
