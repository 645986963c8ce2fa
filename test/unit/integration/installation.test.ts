import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { clientSystemTitle, setClientSystemTitle } from '../../../electron/services/installation.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the client system title of an installation', () => {
  it('is generated once and then stays the same', () => {
    const a = clientSystemTitle(join(dir, 'one'));
    expect(a).toHaveLength(8);
    expect(clientSystemTitle(join(dir, 'one'))).toEqual(a);
    expect(clientSystemTitle(join(dir, 'two'))).not.toEqual(a);
  });

  it('can be edited, and refuses a title that is not 16 hexadecimal characters', () => {
    const d = join(dir, 'three');
    setClientSystemTitle(d, '4775727578313233');
    expect(Array.from(clientSystemTitle(d))).toEqual([0x47, 0x75, 0x72, 0x75, 0x78, 0x31, 0x32, 0x33]);
    expect(() => setClientSystemTitle(d, '47757275')).toThrow(InputError);
    expect(() => setClientSystemTitle(d, '47757275')).toThrow(/Client system title/);
  });
});
