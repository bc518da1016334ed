// `herald segments …`: list, create, show, count, export and delete segments, and export a
// campaign's recorded audience (`segments audience <campaign id>`: it is the same kind of CSV).
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { invalid } from '../../app/errors.ts';
import type { CsvExport } from '../../app/segments/export-segment-csv.ts';
import { openSegmentExport } from '../../app/segments/export-segment-csv.ts';
import { openCampaignAudienceExport } from '../../app/segments/export-campaign-audience.ts';
import { deleteSegment } from '../../app/segments/delete-segment.ts';
import { countSegment, previewSegment } from '../../app/segments/match-segment.ts';
import { getSegment, listSegments } from '../../app/segments/read-segments.ts';
import { createSegment } from '../../app/segments/save-segment.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

/** Rules from --rules '<json>' or --rules-file f.json (exactly one). */
function readRules(opts: { rules?: string; rulesFile?: string }): unknown {
  if ((opts.rules === undefined) === (opts.rulesFile === undefined)) throw invalid('--rules', 'give the rules with --rules \'<json>\' or --rules-file <file>');
  const [field, text] = opts.rules !== undefined ? ['--rules', opts.rules] : ['--rules-file', fs.readFileSync(opts.rulesFile!, 'utf8')];
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(field, `is not JSON: ${(err as Error).message}`);
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** Writes an export to --out (or stdout), waiting when the file or pipe is slower than the store. */
async function runExport(csv: CsvExport, out: string | undefined): Promise<void> {
  const target: Writable = out ? fs.createWriteStream(out) : process.stdout;
  const { rows } = await csv.run(async (chunk) => {
    if (!target.write(chunk)) await once(target, 'drain');
  });
  if (out) {
    target.end();
    await once(target, 'finish');
    process.stderr.write(`wrote ${count(rows)} rows to ${out}\n`);
  }
}

export function registerSegmentCommands(program: Command): void {
  const segments = program.command('segments').description('segments: saved rules over contacts, their counts and CSV exports');

  segments
    .command('list')
    .description('all segments')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listSegments(deps, actor, { limit: positiveInt(opts.limit, '--limit'), after: Number(opts.after) || 0 });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items.map((s) => ({ ...s, rules: JSON.stringify(s.rules) })), ['id', 'name', 'description', 'rules']);
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });

  segments
    .command('create')
    .description('save a segment')
    .requiredOption('--name <name>', 'unique in the account')
    .option('--description <text>')
    .option('--rules <json>', 'the rules, e.g. \'{"all":[{"attribute":"available_photos","op":"lte","value":0}]}\'')
    .option('--rules-file <file>', 'the rules from a JSON file')
    .action(async (opts: { name: string; description?: string; rules?: string; rulesFile?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const segment = await createSegment(deps, actor, { name: opts.name, description: opts.description, rules: readRules(opts) });
        if (wantsJson(cmd)) return printJson(segment);
        const { count: n } = await countSegment(deps, actor, { segmentId: segment.id });
        process.stdout.write(`created segment ${segment.id} "${segment.name}": matches ${count(n)} contacts now\n`);
      });
    });

  segments
    .command('show <id>')
    .description('a segment with its rules, its count and its first contacts')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const segmentId = positiveInt(id, 'id');
        const segment = await getSegment(deps, actor, segmentId);
        const counted = await countSegment(deps, actor, { segmentId });
        const preview = await previewSegment(deps, actor, { segmentId });
        if (wantsJson(cmd)) return printJson({ ...segment, ...counted, contacts: preview.items });
        process.stdout.write(
          `id:          ${segment.id}\nname:        ${segment.name}\ndescription: ${segment.description ?? ''}\n` +
            `rules:       ${JSON.stringify(segment.rules)}\nmatches:     ${count(counted.count)} of ${count(counted.of)} contacts\n\n`,
        );
        printTable(preview.items as unknown as Record<string, unknown>[], ['id', 'email', 'phone', 'first_name', 'last_name', 'attributes']);
      });
    });

  segments
    .command('count [id]')
    .description('how many contacts a saved segment (or --rules) matches right now')
    .option('--rules <json>', 'count unsaved rules instead')
    .option('--rules-file <file>', 'count unsaved rules from a JSON file')
    .option('--list <id...>', 'only among the members of these lists')
    .action(async (id: string | undefined, opts: { rules?: string; rulesFile?: string; list?: string[] }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const listIds = (opts.list ?? []).map((l) => positiveInt(l, '--list'));
        const input =
          id !== undefined
            ? { segmentId: positiveInt(id, 'id'), listIds }
            : { rules: readRules(opts), listIds };
        if (id !== undefined && (opts.rules !== undefined || opts.rulesFile !== undefined)) throw invalid('--rules', 'give a segment id or rules, not both');
        const result = await countSegment(deps, actor, input);
        if (wantsJson(cmd)) return printJson(result);
        process.stdout.write(`${count(result.count)} of ${count(result.of)} contacts match\n`);
      });
    });

  segments
    .command('export <id>')
    .description('every contact a segment matches, as CSV (to stdout or --out)')
    .option('--out <file>', 'write to this file')
    .action(async (id: string, opts: { out?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => runExport(await openSegmentExport(deps, actor, positiveInt(id, 'id')), opts.out));
    });

  segments
    .command('audience <campaign-id>')
    .description("a campaign's audience as its latest delivery recorded it (status, reason and its meaning), as CSV")
    .option('--out <file>', 'write to this file')
    .action(async (id: string, opts: { out?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => runExport(await openCampaignAudienceExport(deps, actor, positiveInt(id, 'campaign-id')), opts.out));
    });

  segments
    .command('delete <id>')
    .description("delete a segment (refused while a campaign's audience uses it)")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const result = await deleteSegment(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(result);
        process.stdout.write(`deleted segment ${result.id}\n`);
      });
    });
}
