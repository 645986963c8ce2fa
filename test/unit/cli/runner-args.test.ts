/**
 * The fuzz and soak runners read their arguments with the CLI's parser: what they read, and a
 * UsageError naming the option, the value and what is allowed for each mistake.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/cli/args.js';
import { FUZZ_USAGE, parseFuzzArgs } from '../../fuzz/args.js';
import { TARGET_NAMES } from '../../fuzz/targets.js';
import { parseSoakArgs, SOAK_USAGE } from '../../soak/args.js';

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('npm run fuzz arguments', () => {
  it('reads a count or a duration, targets and a seed', () => {
    expect(parseFuzzArgs([])).toEqual({ count: 10_000, seed: 1, targets: [...TARGET_NAMES], help: false });
    expect(parseFuzzArgs(['--seconds', '0.5', '--target', 'apdu', '--target=axdr', '--seed', '7'])).toEqual({
      seconds: 0.5,
      seed: 7,
      targets: ['apdu', 'axdr'],
      help: false,
    });
    expect(parseFuzzArgs(['--count', '20']).count).toBe(20);
    expect(parseFuzzArgs(['-h']).help).toBe(true);
  });

  it('refuses each mistake, naming the option', () => {
    expect(refusal(() => parseFuzzArgs(['--count', '0']))).toBe(`--count: "0" is not valid: a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`);
    expect(refusal(() => parseFuzzArgs(['--seconds', 'soon']))).toBe('--seconds: "soon" is not valid: a number above 0');
    expect(refusal(() => parseFuzzArgs(['--count', '5', '--seconds', '1']))).toBe('--seconds: "1" is not valid: give --count or --seconds, not both');
    expect(refusal(() => parseFuzzArgs(['--target', 'nope']))).toBe(`--target: "nope" is not valid: one of ${TARGET_NAMES.join(', ')}`);
    expect(refusal(() => parseFuzzArgs(['--seed', '-1']))).toMatch(
      /^--seed: "" is not valid: needs a value \(N\); one that starts with "-" is written --seed=N$/,
    );
    expect(refusal(() => parseFuzzArgs(['--seed=4294967296']))).toBe('--seed: "4294967296" is not valid: a whole number from 0 to 4294967295');
    expect(refusal(() => parseFuzzArgs(['--count']))).toBe('--count: "" is not valid: needs a value (N)');
    expect(refusal(() => parseFuzzArgs(['--cont', '5']))).toMatch(
      /^option: "--cont" is not valid: unknown; the options are --count, --seconds, --target, --seed, --help$/,
    );
    expect(refusal(() => parseFuzzArgs(['apdu']))).toBe('argument: "apdu" is not valid: this command takes options only (see --help)');
    expect(FUZZ_USAGE).toMatch(/^usage: npm run fuzz -- /);
  });
});

describe('npm run soak arguments', () => {
  it('reads the minutes (default 10)', () => {
    expect(parseSoakArgs([])).toEqual({ minutes: 10, help: false });
    expect(parseSoakArgs(['--minutes', '2.5'])).toEqual({ minutes: 2.5, help: false });
  });

  it('refuses each mistake, naming the option', () => {
    expect(refusal(() => parseSoakArgs(['--minutes', '0.1']))).toBe('--minutes: "0.1" is not valid: a number of minutes from 0.5 to 1440');
    expect(refusal(() => parseSoakArgs(['--minutes', 'ten']))).toBe('--minutes: "ten" is not valid: a number of minutes from 0.5 to 1440');
    expect(refusal(() => parseSoakArgs(['--minutes']))).toBe('--minutes: "" is not valid: needs a value (N)');
    expect(refusal(() => parseSoakArgs(['--hours', '1']))).toBe('option: "--hours" is not valid: unknown; the options are --minutes, --help');
    expect(refusal(() => parseSoakArgs(['--minutes', '5', '--minutes', '6']))).toBe('--minutes: "given 2 times" is not valid: may be given only once');
    expect(SOAK_USAGE).toMatch(/^usage: npm run soak -- \[--minutes N\]/);
  });
});
