/** A settings store that lives in memory (tests) or in one JSON file (a tiny stand-in for conf). */
import { readFileSync } from 'node:fs';
import { emptyConfig } from '../../../core/app/new-items.js';
import { parseConfig } from '../../../core/app/validate.js';
import { writeFileAtomic } from '../atomic-file.js';
import type { AppStateStore, StoredState } from './types.js';

export function emptyState(): StoredState {
  return { config: emptyConfig(), demo: null, firstRunDone: false };
}

export class MemoryStateStore implements AppStateStore {
  readonly path: string;
  saves = 0;
  private state: string;

  constructor(initial: StoredState = emptyState(), path = ':memory:') {
    this.state = JSON.stringify(initial);
    this.path = path;
  }

  load(): StoredState {
    return JSON.parse(this.state) as StoredState;
  }

  save(state: StoredState): void {
    this.state = JSON.stringify(state);
    this.saves++;
  }
}

export class JsonFileStateStore implements AppStateStore {
  constructor(readonly path: string) {}

  load(): StoredState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw e;
    }
    const data = JSON.parse(text) as Partial<StoredState>;
    return { config: parseConfig(data.config ?? emptyConfig()), demo: data.demo ?? null, firstRunDone: data.firstRunDone === true };
  }

  save(state: StoredState): void {
    writeFileAtomic(this.path, `${JSON.stringify(state, null, 2)}\n`);
  }
}
