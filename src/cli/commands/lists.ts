// CLI commands of this resource (filled in as the resource is built).
import type { Command } from 'commander';

export function registerListCommands(_program: Command): void {}
