// The `herald` command. Each resource registers its subcommands from src/cli/commands/<resource>.ts.
// Those modules are loaded only for the command being run: `herald worker` then loads the worker's
// code without every other command's use cases and libraries (~0.3 s less start-up). Help, an
// unknown command or no command at all loads every module, so `herald --help` lists them all.
import { Command } from 'commander';

type Register = (program: Command) => void;

interface CommandModule {
  /** The top-level commands the module registers (or adds subcommands to). */
  commands: readonly string[];
  load(): Promise<Register>;
}

// In the order of `herald --help`. why.ts adds `campaigns diagnose/preflight`, so it loads after
// campaigns.ts and with it; approvals.ts likewise adds to `campaigns` and `account`.
const MODULES: readonly CommandModule[] = [
  { commands: ['start', 'serve', 'worker', 'inbound', 'migrate'], load: async () => (await import('./commands/serve.ts')).registerServeCommands },
  { commands: ['contacts'], load: async () => (await import('./commands/contacts.ts')).registerContactCommands },
  { commands: ['lists'], load: async () => (await import('./commands/lists.ts')).registerListCommands },
  { commands: ['segments'], load: async () => (await import('./commands/segments.ts')).registerSegmentCommands },
  { commands: ['consent'], load: async () => (await import('./commands/consent.ts')).registerConsentCommands },
  { commands: ['templates'], load: async () => (await import('./commands/templates.ts')).registerTemplateCommands },
  { commands: ['campaigns'], load: async () => (await import('./commands/campaigns.ts')).registerCampaignCommands },
  { commands: ['messages', 'links'], load: async () => (await import('./commands/messages.ts')).registerMessageCommands },
  { commands: ['outbox'], load: async () => (await import('./commands/outbox.ts')).registerOutboxCommands },
  { commands: ['senders'], load: async () => (await import('./commands/senders.ts')).registerSenderCommands },
  { commands: ['account'], load: async () => (await import('./commands/account.ts')).registerAccountCommands },
  { commands: ['users', 'api-keys'], load: async () => (await import('./commands/users.ts')).registerUserCommands },
  { commands: ['policy'], load: async () => (await import('./commands/policy.ts')).registerPolicyCommands },
  { commands: ['suppressions', 'audit'], load: async () => (await import('./commands/suppressions.ts')).registerSuppressionCommands },
  { commands: ['why', 'campaigns'], load: async () => (await import('./commands/why.ts')).registerWhyCommands },
  { commands: ['approvals', 'campaigns', 'account'], load: async () => (await import('./commands/approvals.ts')).registerApprovalCommands },
  { commands: ['bounces'], load: async () => (await import('./commands/bounces.ts')).registerBounceCommands },
  { commands: ['webhooks'], load: async () => (await import('./commands/webhooks.ts')).registerWebhookCommands },
  // After 'campaigns': it adds schedule, unschedule and runs to that command.
  { commands: ['campaigns', 'runs'], load: async () => (await import('./commands/schedules.ts')).registerScheduleCommands },
  { commands: ['notifications'], load: async () => (await import('./commands/notifications.ts')).registerNotificationCommands },
  { commands: ['event-types', 'events', 'campaigns'], load: async () => (await import('./commands/triggers.ts')).registerTriggerCommands },
];

/** The command word of argv (node, script, …args): the first argument that is not a global option. */
export function commandWord(argv: readonly string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--account' || a === '--as') i++; // its value follows
    else if (!a.startsWith('-')) return a;
  }
  return null;
}

/** The program with the modules `argv` needs registered (all of them when in doubt). */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('herald')
    .description('Herald: campaign delivery that never fails silently')
    .option('--account <id>', 'act for this account (default: the first account)')
    .option('--as <email>', "act as this user (their account, role and name in audit trails); default: the CLI acts as the account's owner")
    .option('--json', 'print JSON instead of tables')
    .showHelpAfterError();
  const word = commandWord(argv);
  const needed = MODULES.filter((m) => word !== null && m.commands.includes(word));
  const registers = await Promise.all((needed.length ? needed : MODULES).map((m) => m.load()));
  for (const register of registers) register(program);
  return program;
}
