/** The export dialog offers the CSV presets the API takes (CSV_PRESET_NAMES), each once and labelled. */
import { describe, expect, it } from 'vitest';
import { CSV_PRESET_NAMES } from '../../../core/app/api/types.js';
import { CSV_PRESET_CHOICES } from '../../../renderer/src/views/readings/export.js';

describe('export dialog presets', () => {
  it('are the API names, in order, each with a label', () => {
    expect(CSV_PRESET_CHOICES.map((c) => c.id)).toEqual([...CSV_PRESET_NAMES]);
    expect(CSV_PRESET_CHOICES.map((c) => c.label)).toEqual(['Comma ( , ) and point ( . )', 'Semicolon ( ; ) and comma ( , )']);
  });
});
