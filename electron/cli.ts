/**
 * `cosem-studio`: the command line over the same services as the app.
 *
 *   cosem-studio <command> [options]      (cosem-studio --help lists the commands)
 *
 * Exit codes: 0 done; 1 a link or meter failure (one line saying why); 2 a bad argument (one line naming
 * the option, the value and what is allowed).
 */
import { DlmsError, InputError } from '../core/errors.js';
import { UsageError } from './cli/args.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** What a command module exports: its name and summary are in COMMANDS below. */
export interface Command {
  /** Returns the exit code. */
  run(argv: readonly string[], io: Io): Promise<number>;
}

/**
 * Every command, in the order `--help` lists them. A command's module is loaded when it runs, so
 * `--help` and every command start without loading the others (the database, the serial ports, the
 * virtual meter).
 */
const COMMANDS: readonly { readonly name: string; readonly summary: string; load(): Promise<Command> }[] = [
  {
    name: 'test',
    summary: 'test a physical device: link, association, identity, clock, each step timed',
    load: async () => (await import('./cli/test-command.js')).testCommand,
  },
  {
    name: 'read',
    summary: 'read values, scaled with their units (registers, clock, profiles, any class)',
    load: async () => (await import('./cli/read.js')).readCommand,
  },
  {
    name: 'objects',
    summary: "list the association's objects: OBIS, class, version, access rights, standard name",
    load: async () => (await import('./cli/objects.js')).objectsCommand,
  },
  {
    name: 'set-clock',
    summary: "set the meter's clock to this computer's time (or --time), drift before and after",
    load: async () => (await import('./cli/changes.js')).setClockCommand,
  },
  {
    name: 'write',
    summary: 'write an attribute (VALUE plain or as JSON), print it before and after',
    load: async () => (await import('./cli/changes.js')).writeCommand,
  },
  {
    name: 'action',
    summary: 'call a method (parameter as JSON), print what it changes before and after',
    load: async () => (await import('./cli/changes.js')).actionCommand,
  },
  {
    name: 'audit',
    summary: 'list the changes made to meters (newest first), or write them to CSV',
    load: async () => (await import('./cli/audit.js')).auditCommand,
  },
  {
    name: 'report',
    summary: "write a device's commissioning report (HTML, or PDF with Chromium)",
    load: async () => (await import('./cli/report.js')).reportCommand,
  },
  { name: 'poll', summary: "run a configuration's enabled groups as the app does, headless", load: async () => (await import('./cli/poll.js')).pollCommand },
  { name: 'export', summary: "write a group's readings or a profile's rows to CSV", load: async () => (await import('./cli/export.js')).exportCommand },
  {
    name: 'validate',
    summary: 'check a configuration file against every rule of the spec',
    load: async () => (await import('./cli/validate.js')).validateCommand,
  },
  { name: 'meter', summary: 'run the virtual meter on TCP or a serial port', load: async () => (await import('./cli/meter.js')).meterCommand },
];

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
    'Each command has --help. Exit 0 when done, 1 when a link or meter fails, 2 for a bad argument.',
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
    return await (await command.load()).run(rest, io);
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
