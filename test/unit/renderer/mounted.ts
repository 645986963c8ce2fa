/**
 * A renderer component mounted for a test, in a div of its own. `useMounted()` registers the hooks
 * (in the describe block it is called in): a new div before each test; after it, the component
 * unmounted, the div removed, the charts' drawing put back and the timers real again.
 */
import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, vi } from 'vitest';
import { setLineChartFactory } from '../../../renderer/src/lib/charts/line-chart.js';

export interface Mounted {
  /** The div the component is in (a new one each test). */
  readonly target: HTMLElement;
  /** Mounts `component` with `props`, and the Svelte context (`appContext` or `apiContext` of a fake API) when given. */
  mount(component: unknown, props: Record<string, unknown>, context?: Map<unknown, unknown>): void;
  /** Unmounts it before the test ends (to see that it lets go of what it holds). */
  unmount(): void;
}

export function useMounted(): Mounted {
  let target: HTMLElement | null = null;
  let component: ReturnType<typeof mount> | null = null;
  const mounted: Mounted = {
    get target() {
      if (target === null) throw new Error('useMounted: the target exists only while a test runs');
      return target;
    },
    mount(c, props, context) {
      component = mount(c as never, { target: mounted.target, props, ...(context === undefined ? {} : { context }) });
    },
    unmount() {
      if (component !== null) unmount(component);
      component = null;
    },
  };
  beforeEach(() => {
    target = document.createElement('div');
    document.body.appendChild(target);
  });
  afterEach(() => {
    mounted.unmount();
    target?.remove();
    target = null;
    setLineChartFactory(null);
    vi.useRealTimers();
  });
  return mounted;
}
