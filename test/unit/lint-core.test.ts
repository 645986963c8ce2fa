import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// core/ runs in the worker, the main process, the CLI and the renderer: it may use ECMAScript and
// nothing else. Time and crypto come in as arguments. The rule is eslint.config.js's block for
// core/**; `npm run lint` applies it with the rest, and this proves it catches what it must.
const root = join(import.meta.dirname, '..', '..');
const coreDir = join(root, 'core');
const eslint = new ESLint({ cwd: root });

/** The rules a sample breaks, linted as if it were a file in core/. */
async function brokenRules(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(coreDir, 'x.ts') });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('core/ is pure ECMAScript', () => {
  it.each([
    [`import { readFileSync } from 'node:fs';\nexport const f = readFileSync;`, 'no-restricted-imports'],
    [`import net from 'net';\nexport const n = net;`, 'no-restricted-imports'],
    [`import { app } from 'electron';\nexport const a = app;`, 'no-restricted-imports'],
    [`import { SerialPort } from 'serialport';\nexport const p = SerialPort;`, 'no-restricted-imports'],
    [`export const t = setTimeout(() => {}, 10);`, 'no-restricted-globals'],
    [`export const now = Date.now();`, 'no-restricted-properties'],
    [`document.title = 'x';`, 'no-restricted-globals'],
  ])('the rule catches %j', async (code, rule) => {
    expect(await brokenRules(code)).toEqual([rule]);
  });

  it('leaves prose and strings alone', async () => {
    expect(await brokenRules(`// setTimeout is not used here\nexport const a = 'window';`)).toEqual([]);
  });

  it('no file in core/ breaks a rule', async () => {
    const results = await eslint.lintFiles(['core']);
    expect(results.length).toBeGreaterThan(0);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(problems).toEqual([]);
  });

  it('core/ type-checks with only the ECMAScript library (no DOM, no Node types)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(coreDir, 'tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});
