// The `herald` command. Each resource registers its subcommands from src/cli/commands/<resource>.ts.
import { Command } from 'commander';
import { registerServeCommands } from './commands/serve.ts';

export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Herald: campaign delivery that never fails silently')
    .option('--account <id>', 'act for this account (default: the first account)')
    .showHelpAfterError();
  registerServeCommands(program);
  return program;
}
