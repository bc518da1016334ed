// CLI commands of this resource (filled in as the resource is built).
import type { Command } from 'commander';

export function registerTemplateCommands(_program: Command): void {}
