/**
 * Long tasks of a page (the Long Tasks API: any task that kept the main thread 50 ms or more), as a
 * person feels them: each reported to the test as it is observed, and counted against the named step
 * of the scenario that was running when it started.
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface StepTasks {
  /** The longest long task in the step, ms; 0 when none reached 50 ms. */
  max: number;
  /** How many long tasks, and their sum (ms): the time the page could not answer. */
  count: number;
  blockedMs: number;
  /** The step's wall time, ms. */
  wallMs: number;
  /**
   * The step's longest animation frame (Long Animation Frames API), for diagnosis: its length, the
   * scripts that ran in it, longest first ("invoker (function) ms", e.g. "DOMWebSocket.onmessage
   * 46 ms"), and its rendering (animation callbacks, style, layout, paint). Empty when no frame of the step was long.
   */
  worst: string[];
  /** Whether the step counts toward `max()` (a page's first load does not). */
  readonly counted: boolean;
}

export interface LongTaskMonitor {
  /** Run `fn` as the step `name`; long tasks that start while it runs are its own. */
  step<T>(name: string, fn: () => Promise<T>, options?: { counted?: boolean }): Promise<T>;
  /** Deliver the tasks the browser has observed and not reported yet. */
  flush(): Promise<void>;
  /** The longest long task of the counted steps (ms, 0 when none). */
  max(): number;
  /** Each step's figures (after `flush`). */
  readonly steps: Readonly<Record<string, StepTasks>>;
}

interface Task {
  readonly start: number;
  readonly duration: number;
}

interface Frame extends Task {
  /** From the frame's start to its rendering (animation callbacks, style, layout, paint); 0: it drew nothing. */
  readonly renderAt: number;
  readonly scripts: readonly { readonly invoker: string; readonly fn: string; readonly duration: number }[];
}

const BINDING = '__cosemLongTasks';

/**
 * Install the observer in every page of `context` before its scripts run; `page` is the one the
 * scenario drives. Call before the page's first `goto`.
 */
export async function monitorLongTasks(context: BrowserContext, page: Page): Promise<LongTaskMonitor> {
  const tasks: Task[] = [];
  const frames: Frame[] = [];
  await context.exposeBinding(BINDING, (_source, batch: Task[]) => {
    for (const t of batch) tasks.push({ start: t.start, duration: t.duration });
  });
  await context.exposeBinding(`${BINDING}Frames`, (_source, batch: Frame[]) => {
    for (const f of batch) frames.push(f);
  });
  // In the page (no DOM types here: the script is text). The observer is there before the app's
  // first script; `buffered` adds what the page had before it was observed.
  await context.addInitScript(
    `(() => {
    if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) return;
    // Each batch goes to the test through a binding; a flush waits until the test has them all.
    const inflight = new Set();
    const sendVia = (name, batch) => {
      const send = window[name];
      if (!send) return;
      const p = Promise.resolve(send(batch)).catch(() => {}).finally(() => inflight.delete(p));
      inflight.add(p);
    };
    const report = (entries) => {
      if (entries.length === 0) return;
      sendVia(${JSON.stringify(BINDING)}, entries.map((e) => ({ start: performance.timeOrigin + e.startTime, duration: e.duration })));
    };
    const observer = new PerformanceObserver((list) => report(list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
    // What ran in a long frame, for diagnosis only (the figure is the long tasks').
    const reportFrames = (entries) => {
      if (entries.length === 0) return;
      sendVia(${JSON.stringify(`${BINDING}Frames`)}, entries.map((e) => ({
        start: performance.timeOrigin + e.startTime,
        duration: e.duration,
        renderAt: e.renderStart > 0 ? e.renderStart - e.startTime : 0,
        scripts: (e.scripts || []).map((x) => ({ invoker: String(x.invoker || x.invokerType || ''), ` +
      `fn: String(x.sourceFunctionName || ''), duration: x.duration })),
      })));
    };
    let frameObserver = null;
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
      frameObserver = new PerformanceObserver((list) => reportFrames(list.getEntries()));
      frameObserver.observe({ type: 'long-animation-frame', buffered: true });
    }
    window.__cosemLongTasksFlush = async () => {
      report(observer.takeRecords());
      if (frameObserver) reportFrames(frameObserver.takeRecords());
      await Promise.all([...inflight]);
    };
  })();`,
  );

  const ranges: { name: string; from: number; to: number }[] = [];
  const steps: Record<string, StepTasks> = {};

  const attribute = (): void => {
    for (const s of Object.values(steps)) {
      s.max = 0;
      s.count = 0;
      s.blockedMs = 0;
      s.worst = [];
    }
    const stepOf = (t: Task): StepTasks | undefined => {
      const r = ranges.find((x) => t.start >= x.from && t.start < x.to);
      return r === undefined ? undefined : steps[r.name];
    };
    for (const t of tasks) {
      const s = stepOf(t);
      if (s === undefined) continue;
      s.max = Math.max(s.max, Math.round(t.duration));
      s.count++;
      s.blockedMs += Math.round(t.duration);
    }
    const longest = new Map<StepTasks, Frame>();
    for (const f of frames) {
      const s = stepOf(f);
      if (s !== undefined && f.duration > (longest.get(s)?.duration ?? 0)) longest.set(s, f);
    }
    for (const [s, f] of longest) {
      const rendering = f.renderAt > 0 ? [`rendering ${Math.round(f.duration - f.renderAt)} ms`] : [];
      s.worst = [
        `a frame of ${Math.round(f.duration)} ms`,
        ...[...f.scripts]
          .sort((a, b) => b.duration - a.duration)
          .slice(0, 3)
          .map((x) => `${x.invoker}${x.fn === '' ? '' : ` (${x.fn})`} ${Math.round(x.duration)} ms`),
        ...rendering,
      ];
    }
  };

  return {
    steps,
    async step(name, fn, options = {}) {
      const from = Date.now();
      const range = { name, from, to: Number.POSITIVE_INFINITY };
      ranges.push(range);
      const s = (steps[name] ??= { max: 0, count: 0, blockedMs: 0, wallMs: 0, worst: [], counted: options.counted ?? true });
      try {
        return await fn();
      } finally {
        range.to = Date.now();
        s.wallMs += range.to - from;
      }
    },
    async flush() {
      const supported = await page.evaluate("PerformanceObserver.supportedEntryTypes.includes('longtask')");
      if (!supported) throw new Error('this browser does not report long tasks (PerformanceObserver "longtask")');
      // Resolves once the test has received every batch the page sent.
      await page.evaluate('window.__cosemLongTasksFlush?.()');
      attribute();
    },
    max() {
      attribute();
      return Math.max(
        0,
        ...Object.values(steps)
          .filter((s) => s.counted)
          .map((s) => s.max),
      );
    },
  };
}
