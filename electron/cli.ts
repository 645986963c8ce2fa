/**
 * `cosem-studio`: the command line over the same services as the app.
 *
 *   cosem-studio <command> [options]      (cosem-studio --help lists the commands)
 *
 * Exit codes: 0 done; 1 a link or meter failure (one line saying why); 2 a bad argument (one line naming
 * the option, the value and what is allowed).
 */
import { reportCommand } from './cli/report.js';
import { DlmsError, InputError } from '../core/errors.js';
import { UsageError } from './cli/args.js';
import { meterCommand } from './cli/meter.js';
import { readCommand } from './cli/read.js';
import { objectsCommand } from './cli/objects.js';
import { validateCommand } from './cli/validate.js';
import { pollCommand } from './cli/poll.js';
import { exportCommand } from './cli/export.js';
import { testCommand } from './cli/test-command.js';
import { actionCommand, setClockCommand, writeCommand } from './cli/changes.js';
import { auditCommand } from './cli/audit.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Returns the exit code. */
  run(argv: readonly string[], io: Io): Promise<number>;
}

const COMMANDS: Command[] = [
  testCommand,
  readCommand,
  objectsCommand,
  setClockCommand,
  writeCommand,
  actionCommand,
  auditCommand,
  reportCommand,
  pollCommand,
  exportCommand,
  validateCommand,
  meterCommand,
];

export function registerCommand(command: Command): void {
  COMMANDS.push(command);
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: cosem-studio <command> [options]',
    '',
    'Commission DLMS/COSEM meters from the command line.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width + 2)}${c.summary}`),
    '',
    "Each command has --help. Exit 0 when done, 1 when a link or meter fails, 2 for a bad argument.",
  ].join('\n');
}

const stdio: Io = {
  out: (t) => void process.stdout.write(`${t}\n`),
  err: (t) => void process.stderr.write(`${t}\n`),
};

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`cosem-studio: unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      io.err(`cosem-studio ${name}: ${e.message}`);
      return 2;
    }
    if (e instanceof DlmsError) {
      io.err(`cosem-studio ${name}: ${e.message}`);
      return 1;
    }
    io.err(`cosem-studio ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
