// herald event-types …, herald events …, herald campaigns trigger / catch-up: triggered campaigns
// from the command line (F0.1, F0.7). Calls the same use cases as the API.
import type { Command } from 'commander';
import { invalid } from '../../app/errors.ts';
import { listCatchUp, sendCatchUp } from '../../app/triggers/catch-up.ts';
import { declareEventType, listEventTypes, removeEventType } from '../../app/triggers/event-types.ts';
import { getEntity, listEvents } from '../../app/triggers/read-events.ts';
import { recordEvent } from '../../app/triggers/record-event.ts';
import { getTrigger, removeTrigger, setTrigger } from '../../app/triggers/set-trigger.ts';
import type { CatchUpMode, TriggerView } from '../../app/triggers/trigger-settings.ts';
import { parseDelay } from '../../core/triggers/delay.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

function jsonOption(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(field, `${field}: not JSON (${(err as Error).message})`);
  }
}

function printTrigger(cmd: Command, id: string, t: TriggerView): void {
  if (wantsJson(cmd)) printJson(t);
  else process.stdout.write(`campaign ${id} is triggered by ${t.event_type}${t.condition ? ` when ${JSON.stringify(t.condition)}` : ''}, delay ${t.delay_seconds}s, catch-up ${t.catch_up}\n`);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerTriggerCommands(program: Command): void {
  const types = program.command('event-types').description('declared event types (events of other types are refused)');
  types
    .command('add <name>')
    .description('declare an event type, e.g. job.status_changed')
    .option('--description <text>')
    .action(async (name: string, opts: { description?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const t = await declareEventType(deps, actor, { name, description: opts.description ?? null });
        if (wantsJson(cmd)) printJson(t);
        else process.stdout.write(`declared event type ${t.name}\n`);
      });
    });
  types
    .command('list')
    .description('declared event types and the campaigns that use them')
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const items = await listEventTypes(deps, actor);
        if (wantsJson(cmd)) printJson(items);
        else printTable(items.map((t) => ({ ...t, campaigns: t.campaign_ids.join(',') })), ['id', 'name', 'description', 'campaigns', 'created_at']);
      });
    });
  types
    .command('remove <name>')
    .description('remove an event type (refused while a campaign uses it)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        await removeEventType(deps, actor, name);
        process.stdout.write(`removed event type ${name}\n`);
      });
    });

  const events = program.command('events').description('events that fire triggered campaigns');
  events
    .command('send')
    .description('send an event (as an integration would with POST /api/v1/events)')
    .requiredOption('--type <type>', 'a declared event type')
    .requiredOption('--entity <entity>', 'what the event is about, e.g. job-42')
    .requiredOption('--key <key>', 'idempotency key: the same key again sends nothing twice')
    .option('--data <json>', 'event data as a JSON object', '{}')
    .option('--contact <email|id>', 'a contact by email (created if unknown) or id; repeatable', collect, [])
    .option('--at <time>', 'when it happened (ISO 8601; default now)')
    .action(async (opts: { type: string; entity: string; key: string; data: string; contact: string[]; at?: string }, cmd: Command) => {
      const data = jsonOption(opts.data, '--data') as Record<string, unknown>;
      const contacts = opts.contact.map((c) => (/^\d+$/.test(c) ? { id: Number(c) } : c.startsWith('+') ? { phone: c } : { email: c }));
      await withApp(cmd, async ({ deps, actor }) => {
        const r = await recordEvent(deps, actor, { type: opts.type, entity: opts.entity, data, contacts, idempotency_key: opts.key, ...(opts.at ? { occurred_at: opts.at } : {}) });
        if (wantsJson(cmd)) return printJson(r);
        process.stdout.write(
          r.duplicate
            ? `event ${r.event_id} was already received with key ${opts.key}; nothing new\n`
            : `event ${r.event_id}: matched campaigns ${r.matched_campaigns.join(', ') || 'none'}, ${r.firings_created} firing(s) created\n`,
        );
      });
    });
  events
    .command('list')
    .description('recent events, newest first')
    .option('--entity <entity>')
    .option('--type <type>')
    .option('--limit <n>', 'how many', '50')
    .action(async (opts: { entity?: string; type?: string; limit: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listEvents(deps, actor, { entity: opts.entity, type: opts.type, limit: positiveInt(opts.limit, '--limit') });
        if (wantsJson(cmd)) printJson(page);
        else printTable(page.items.map((e) => ({ ...e, contacts: e.contact_ids.length })), ['id', 'type', 'entity', 'data', 'contacts', 'idempotency_key', 'occurred_at']);
      });
    });

  program
    .command('entities')
    .description('what Herald knows of an entity (GET /api/v1/entities/:entity)')
    .command('show <entity>')
    .description("its latest state per event type, its events, and every firing with its message's status and reason")
    .action(async (entity: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const e = await getEntity(deps, actor, entity);
        if (wantsJson(cmd)) return printJson(e);
        process.stdout.write(`entity ${e.entity}\nstates:\n`);
        printTable(e.states.map((st) => ({ ...st, contacts: st.contact_ids.length })), ['event_type', 'event_id', 'data', 'contacts', 'occurred_at']);
        process.stdout.write('events:\n');
        printTable(e.events.map((ev) => ({ ...ev, contacts: ev.contact_ids.length })), ['id', 'type', 'data', 'contacts', 'idempotency_key', 'occurred_at']);
        process.stdout.write('firings:\n');
        printTable(e.firings.map((f) => ({ ...f, campaign: `${f.campaign_id} ${f.campaign_name}` })), ['id', 'campaign', 'contact_id', 'source', 'status', 'due_at', 'delivery_id', 'message_status', 'message_reason']);
      });
    });

  const campaigns = program.commands.find((c) => c.name() === 'campaigns') ?? program.command('campaigns');
  campaigns
    .command('trigger <id>')
    .description('make a draft campaign triggered by an event type; without --event, show its trigger')
    .option('--event <type>', 'the event type')
    .option('--when <json>', 'condition on the event, e.g. \'{"all":[{"field":"data.status","op":"eq","value":"for_sale"}]}\'')
    .option('--delay <delay>', 'wait before sending: 90s, 10m, 2h, 1d', '0m')
    .option('--catch-up <mode>', 'entities already in the trigger state at launch: send or list', 'list')
    .action(async (id: string, opts: { event?: string; when?: string; delay: string; catchUp: string }, cmd: Command) => {
      if (opts.event === undefined) {
        await withApp(cmd, async ({ deps, actor }) => printTrigger(cmd, id, await getTrigger(deps, actor, positiveInt(id, 'id'))));
        return;
      }
      const event = opts.event;
      const delay = parseDelay(opts.delay);
      if (!delay.ok) throw invalid('--delay', delay.reason);
      if (opts.catchUp !== 'send' && opts.catchUp !== 'list') throw invalid('--catch-up', `--catch-up must be send or list, got "${opts.catchUp}"`);
      const condition = opts.when ? jsonOption(opts.when, '--when') : undefined;
      await withApp(cmd, async ({ deps, actor }) => {
        const t = await setTrigger(deps, actor, positiveInt(id, 'id'), {
          event_type: event,
          ...(condition !== undefined ? { condition } : {}),
          delay_minutes: delay.seconds / 60,
          catch_up: opts.catchUp as CatchUpMode,
        });
        printTrigger(cmd, id, t);
      });
    });
  campaigns
    .command('untrigger <id>')
    .description('remove the trigger of a draft (it becomes a one-off draft again)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        await removeTrigger(deps, actor, positiveInt(id, 'id'));
        process.stdout.write(`campaign ${id} is no longer triggered (a one-off draft)\n`);
      });
    });
  campaigns
    .command('catch-up <id>')
    .description('entities already in the trigger state; --send sends to those not reached yet')
    .option('--send', 'send to them (never twice to a contact for an entity)')
    .action(async (id: string, opts: { send?: boolean }, cmd: Command) => {
      // Sending starts deliveries, like POST …/catch-up; listing only reads.
      await withApp(cmd, async ({ deps, actor }) => {
        const campaignId = positiveInt(id, 'id');
        if (opts.send) {
          const r = await sendCatchUp(deps, actor, campaignId);
          if (wantsJson(cmd)) return printJson(r);
          process.stdout.write(`campaign ${campaignId}: ${r.entities} entities in the trigger state, ${r.firings_created} firing(s) created\n`);
          return;
        }
        const l = await listCatchUp(deps, actor, campaignId);
        if (wantsJson(cmd)) return printJson(l);
        printTable(l.entities.map((e) => ({ ...e })), ['entity', 'occurred_at', 'data', 'contacts', 'fired', 'pending', 'already_fired']);
        process.stdout.write(`${l.contacts_to_send} contact(s) not reached yet; herald campaigns catch-up ${campaignId} --send\n`);
      }, opts.send ? { permission: 'deliveries:start' } : {});
    });
}
