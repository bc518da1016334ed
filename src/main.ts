#!/usr/bin/env node
// Entry point of the `herald` command (`npm start` runs `herald start`).
import { reportCliError } from './cli/cli-context.ts';
import { buildProgram } from './cli/program.ts';

buildProgram(process.argv)
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    process.exitCode = reportCliError(err);
  });
