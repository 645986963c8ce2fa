import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// core/ runs in the worker, the main process, the CLI and the renderer: it may use ECMAScript and
// nothing else. Time and crypto come in as arguments.
const root = join(import.meta.dirname, '..', '..');
const coreDir = join(root, 'core');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const FORBIDDEN_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](node:[^'"]*|electron|serialport|@serialport\/[^'"]*|fs|net|tls|dgram|os|path|crypto|timers|child_process|worker_threads)['"]/g;
const FORBIDDEN_GLOBAL = /\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|queueMicrotask|requestAnimationFrame|window|document|navigator|localStorage|process|Buffer|Date\.now|performance\.now)\b/g;

/** Lines of a file with comments and string contents removed, so prose never trips the rule. */
function codeLines(text: string): string[] {
  const noBlock = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
  return noBlock.split('\n').map((l) => l.replace(/\/\/.*$/, ''));
}

export function violations(text: string): string[] {
  const found: string[] = [];
  const lines = codeLines(text);
  lines.forEach((line, i) => {
    for (const m of line.matchAll(FORBIDDEN_IMPORT)) found.push(`line ${i + 1}: imports ${m[1]}`);
    const noStrings = line.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
    for (const m of noStrings.matchAll(FORBIDDEN_GLOBAL)) found.push(`line ${i + 1}: uses ${m[1]}`);
  });
  return found;
}

describe('core/ is pure ECMAScript', () => {
  it('the rule catches what it must', () => {
    expect(violations(`import { x } from 'node:fs';`)).toHaveLength(1);
    expect(violations(`import net from "net";`)).toHaveLength(1);
    expect(violations(`import { app } from 'electron';`)).toHaveLength(1);
    expect(violations(`import { SerialPort } from 'serialport';`)).toHaveLength(1);
    expect(violations(`const t = setTimeout(f, 10);`)).toHaveLength(1);
    expect(violations(`const now = Date.now();`)).toHaveLength(1);
    expect(violations(`document.title = 'x';`)).toHaveLength(1);
    expect(violations(`// setTimeout is not used here\nconst a = 'window';`)).toHaveLength(0);
  });

  it('no file in core/ imports node:*, electron, serialport, the DOM or timers', () => {
    const files = tsFiles(coreDir);
    expect(files.length).toBeGreaterThan(0);
    const bad = files.flatMap((f) => violations(readFileSync(f, 'utf8')).map((v) => `${relative(root, f)} ${v}`));
    expect(bad).toEqual([]);
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
