/**
 * A stored profile's chart lines as a chart component holds them: each 'profiles.chart' answer
 * replaces the lines whole; a failed call keeps the lines drawn and says why; an answer that arrives
 * after the component asked again (or went away) is dropped. The Readings page's profile chart and the
 * meter page's buffer chart use it.
 */
import type { ApiInput } from '../../../../core/app/api/contract.js';
import type { ApiClient } from '../api.js';
import { errorText } from '../error-text.js';
import { linesFromSeries, type ChartLine } from './series.js';

export class ProfileChartLines {
  #lines = $state.raw<ChartLine[]>([]);
  #error = $state<string | null>(null);
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  get lines(): readonly ChartLine[] {
    return this.#lines;
  }

  /** Why the last call failed; null once one succeeds. */
  get error(): string | null {
    return this.#error;
  }

  /** Asks for the chart; returns the function that drops its answer (an `$effect`'s cleanup). */
  load(request: ApiInput<'profiles.chart'>): () => void {
    let current = true;
    this.#api
      .call('profiles.chart', request)
      .then((series) => {
        if (!current) return;
        this.#lines = linesFromSeries(series);
        this.#error = null;
      })
      .catch((e: unknown) => {
        if (current) this.#error = errorText(e);
      });
    return () => {
      current = false;
    };
  }

  /** No profile to chart: no lines and no error. */
  clear(): void {
    this.#lines = [];
    this.#error = null;
  }
}
