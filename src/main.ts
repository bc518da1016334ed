#!/usr/bin/env node
// Entry point of the `herald` command (`npm start` runs `herald start`).
import { reportCliError } from './cli/cli-context.ts';
import { buildProgram } from './cli/program.ts';

// `herald … | head`: the reader went away, so nobody wants the rest; stop quietly instead of
// crashing with an unhandled EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

buildProgram(process.argv)
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    process.exitCode = reportCliError(err);
  });
