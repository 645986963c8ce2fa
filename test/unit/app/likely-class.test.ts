/** The class an OBIS code names: one rule for the CLI's `read OBIS` and the value rows of a group. */
import { describe, expect, it } from 'vitest';
import { CLASS_LABELS } from '../../../core/app/labels.js';
import { likelyClass } from '../../../core/cosem/likely-class.js';
import { parseObis } from '../../../core/obis.js';
import { parseTarget } from '../../../electron/cli/read.js';

const CASES: readonly (readonly [string, number])[] = [
  ['0-0:1.0.0.255', 8],
  ['1-0:99.1.0.255', 7],
  ['0-0:99.98.0.255', 7],
  ['1-0:98.1.0.255', 7],
  ['1-0:1.8.0.255', 3],
  ['1-0:32.7.0.255', 3],
  ['1-0:1.6.0.255', 4],
  ['1-0:1.4.0.255', 5],
  ['0-0:40.0.0.255', 15],
  ['0-0:22.0.0.255', 23],
  ['0-0:20.0.0.255', 19],
  ['0-0:25.1.0.255', 42],
  ['0-0:43.0.0.255', 64],
  ['0-0:96.3.10.255', 70],
  ['0-0:96.1.0.255', 1],
  ['0-0:43.1.0.255', 1],
  ['0-0:42.0.0.255', 1],
];

describe('likelyClass', () => {
  it('gives the class the Blue Book ties to the code, Data otherwise', () => {
    for (const [obis, classId] of CASES) expect(likelyClass(parseObis(obis)), obis).toBe(classId);
  });

  it('is what the CLI reads a bare code as, and always a class a value row may hold', () => {
    for (const [obis, classId] of CASES) {
      expect(parseTarget(obis, 0).classId, obis).toBe(classId);
      expect(CLASS_LABELS.has(classId), obis).toBe(true);
    }
  });
});
