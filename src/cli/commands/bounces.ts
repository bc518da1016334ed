// herald bounces …: look at reports the way the bounce receiver reads them. `classify` works on
// files alone (no database), so a person can check why a report was (or was not) applied.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { classifyReport } from '../../core/bounces/classify-bounce.ts';
import { parseReport } from '../../core/bounces/parse-report.ts';
import { printJson } from '../cli-context.ts';

export async function classifyFiles(files: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const file of files) {
    const report = classifyReport(await parseReport(await readFile(file)));
    out.push({
      file,
      kind: report.kind,
      original_message_id: report.originalMessageId,
      feedback_type: report.feedbackType,
      recipients: report.recipients.map((r) => ({ address: r.address, status: r.status, class: r.class, reason: r.reason, action: r.action, diagnostic: r.diagnostic })),
    });
  }
  return out;
}

export function registerBounceCommands(program: Command): void {
  const b = program.command('bounces').description('bounce, complaint and auto-reply reports');
  b.command('classify')
    .description('parse and classify report messages (.eml files): kind, and each recipient with status code, class and reason')
    .argument('<files...>', 'raw messages')
    .action(async (files: string[]) => printJson(await classifyFiles(files)));
}
