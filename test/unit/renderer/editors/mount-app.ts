/** The whole app on a fake backend, at a route. */
import { mount, unmount } from 'svelte';
import type { AppConfig } from '../../../../core/app/schema.js';
import App from '../../../../renderer/src/App.svelte';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import { navigate } from '../../../../renderer/src/lib/router.svelte.js';
import { settle } from './dom.js';
import { fakeApi, type FakeApi } from './fake-api.js';

let mounted: ReturnType<typeof mount> | null = null;

export async function openApp(path: string, initial: Partial<AppConfig> = {}, prepare?: (api: FakeApi) => void): Promise<FakeApi> {
  const api = fakeApi(initial);
  prepare?.(api);
  navigate(path);
  document.body.innerHTML = '';
  // The fake reaches the views as the real client does: through the Svelte context.
  mounted = mount(App, { target: document.body, context: appContext(api) });
  await settle();
  return api;
}

export function closeApp(): void {
  if (mounted !== null) unmount(mounted);
  mounted = null;
}
