/**
 * The command-line parser every command shares (node:util parseArgs, strict): what it reads, and the
 * UsageError it gives for each way a command line can be wrong, naming the option, the value and what
 * is allowed; and each command's refusals through `main` (exit 2, one line on stderr).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { integerOption, parseArgs, UsageError, usage, type OptionSpec } from '../../../electron/cli/args.js';
import { runCli } from './run-cli.js';

const SPECS: OptionSpec[] = [
  { name: '--port', value: 'N', help: 'a port' },
  { name: '--password', value: 'TEXT', help: 'a secret' },
  { name: '--tag', value: 'T', help: 'repeatable', repeat: true },
  { name: '--json', help: 'a switch' },
  { name: '--help', short: 'h', help: 'this text' },
];

function refusal(argv: string[], allowPositionals = true): UsageError {
  try {
    parseArgs(argv, SPECS, allowPositionals);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

describe('parseArgs', () => {
  it('reads options in both forms, switches, repeats, -h and positionals', () => {
    const a = parseArgs(['1-0:1.8.0.255', '--port', '4061', '--tag=a', '--tag', 'b', '--json', '-h', 'x'], SPECS);
    expect(a.positionals).toEqual(['1-0:1.8.0.255', 'x']);
    expect(Object.fromEntries(a.options)).toEqual({ '--port': ['4061'], '--tag': ['a', 'b'], '--json': ['true'], '--help': ['true'] });
    expect(parseArgs(['--port=-5'], SPECS).options.get('--port')).toEqual(['-5']);
    // After -- everything is an argument, a negative number included.
    expect(parseArgs(['--json', '--', '-5', '--port'], SPECS).positionals).toEqual(['-5', '--port']);
  });

  it('refuses an unknown option, naming it and the options there are', () => {
    const e = refusal(['--prot', '4061']);
    expect(e.message).toBe('option: "--prot" is not valid: unknown; the options are --port, --password, --tag, --json, --help');
    expect(refusal(['-x']).message).toMatch(/^option: "-x" is not valid: unknown/);
    // An inline value of an unknown option is not echoed (it may be a secret).
    expect(refusal(['--passwd=hunter2']).message).not.toContain('hunter2');
  });

  it('says a negative number goes after --', () => {
    expect(refusal(['OBIS', '-90']).message).toMatch(/^option: "-90" is not valid/);
    expect(refusal(['OBIS', '-5']).message).toMatch(/^option: "-5" is not valid: unknown; a value that starts with "-" goes after "--" \(e\.g\. -- -5\)/);
  });

  it('refuses an option without its value, and a value that looks like an option, never echoing it', () => {
    expect(refusal(['--port']).message).toBe('--port: "" is not valid: needs a value (N)');
    expect(refusal(['--port', '--json']).message).toBe('--port: "" is not valid: needs a value (N)');
    const e = refusal(['--password', '-secret-']);
    expect(e.message).toBe('--password: "" is not valid: needs a value (TEXT); one that starts with "-" is written --password=TEXT');
    expect(e.message).not.toContain('secret-');
  });

  it('refuses a value given to a switch', () => {
    expect(refusal(['--json=yes']).message).toBe('--json: "yes" is not valid: takes no value');
  });

  it('refuses an option given twice unless it repeats, without echoing a value', () => {
    expect(refusal(['--password', 'one', '--password', 'two']).message).toBe('--password: "given 2 times" is not valid: may be given only once');
    expect(refusal(['--json', '--json']).message).toBe('--json: "true" is not valid: may be given only once');
  });

  it('refuses an argument where the command takes options only', () => {
    expect(refusal(['--json', 'extra'], false).message).toBe('argument: "extra" is not valid: this command takes options only (see --help)');
  });

  it('checks whole numbers against their range', () => {
    const a = parseArgs(['--port', '65536'], SPECS);
    expect(() => integerOption(a, '--port', 0, 65535)).toThrow('--port: "65536" is not valid: a whole number from 0 to 65535');
    expect(() => integerOption(parseArgs(['--port', '1.5'], SPECS), '--port', 0, 65535)).toThrow(/--port: "1.5" is not valid/);
    expect(() => integerOption(parseArgs(['--port', ''], SPECS), '--port', 0, 65535)).toThrow(/--port: "" is not valid/);
    expect(integerOption(parseArgs(['--port', '4061'], SPECS), '--port', 0, 65535)).toBe(4061);
  });

  it('a UsageError is an InputError (the field, the value)', () => {
    const e = refusal(['--json=1']);
    expect(e).toBeInstanceOf(InputError);
    expect([e.field, e.value]).toEqual(['--json', '"1"']);
  });

  it('the help lists every option with its value and the one-letter form', () => {
    const text = usage('x', '[options]', 'Does x.', SPECS);
    expect(text.split('\n')[0]).toBe('usage: cosem-studio x [options]');
    expect(text).toMatch(/^ {2}--port N +a port$/m);
    expect(text).toMatch(/^ {2}--help +this text \(also -h\)$/m);
  });
});

describe('every command refuses a bad command line with exit 2 and one line naming the option', () => {
  const cases: [string[], RegExp][] = [
    [['read', '--tcp', '127.0.0.1:4061', '--bogus', '1-0:1.8.0.255'], /^cosem-studio read: option: "--bogus" is not valid: unknown; the options are --tcp, /],
    [['read', '--tcp'], /^cosem-studio read: --tcp: "" is not valid: needs a value \(HOST:PORT\)$/],
    [
      ['read', '--tcp', '127.0.0.1:4061', '--timeout', 'soon', '1-0:1.8.0.255'],
      /^cosem-studio read: --timeout: "soon" is not valid: a whole number from 100 to 600000$/,
    ],
    [['test', '--tcp', '127.0.0.1:4061', 'extra'], /^cosem-studio test: argument: "extra" is not valid: this command takes options only/],
    [['objects', '--trace=on'], /^cosem-studio objects: --trace: "on" is not valid: takes no value$/],
    [['set-clock', '--tcp', '127.0.0.1:4061', 'now'], /^cosem-studio set-clock: argument: "now" is not valid: this command takes options only/],
    [['audit', '--limit', '0'], /^cosem-studio audit: --limit: "0" is not valid: a whole number from 1 to 1000000$/],
    [['audit', '--csv', 'x.csv', '--format', 'excel-eu'], /^cosem-studio audit: --format: "excel-eu" is not valid: one of standard, excel-europe$/],
    [['poll', '--once', '--once'], /^cosem-studio poll: --once: "true" is not valid: may be given only once$/],
    [['report', '--out'], /^cosem-studio report: --out: "" is not valid: needs a value/],
    [['validate', '--frobnicate'], /^cosem-studio validate: option: "--frobnicate" is not valid: unknown/],
    [
      ['write', '--tcp', '127.0.0.1:4061', '0-0:1.0.0.255:8:2', '-5'],
      /^cosem-studio write: option: "-5" is not valid: unknown; a value that starts with "-" goes after "--"/,
    ],
    [['meter', '--rows', '10'], /^cosem-studio meter: option: "--rows" is not valid: unknown; the options are --hdlc-port, /],
    [['meter', '--profile-rows', 'many'], /^cosem-studio meter: --profile-rows: "many" is not valid: a whole number from 1 to 100000$/],
    [
      ['meter', '--clock-offset', '-90'],
      /^cosem-studio meter: --clock-offset: "" is not valid: needs a value \(SECONDS\); one that starts with "-" is written --clock-offset=SECONDS$/,
    ],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')).toHaveLength(1);
  });
});
