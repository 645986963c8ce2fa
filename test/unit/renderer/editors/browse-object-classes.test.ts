// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mount, unmount } from 'svelte';
import type { AppConfig } from '../../../../core/app/schema.js';
import App from '../../../../renderer/src/App.svelte';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import { navigate } from '../../../../renderer/src/lib/router.svelte.js';
import { button, click, labelled, settle, type } from './dom.js';
import { device, fakeApi, tcpConnection } from './fake-api.js';

let app: ReturnType<typeof mount> | null = null;

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  if (app !== null) unmount(app);
  app = null;
  document.body.innerHTML = '';
});

const config: Partial<AppConfig> = {
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1', { interfaceType: 'hdlc' })],
  groups: [{ id: 'group-1', enable: true, name: 'Energy', interval: 60, values: [] }],
};

describe('Browse objects names every class', () => {
  it('shows classes the spec does not list by their Blue Book name, and lets only the spec classes be used', async () => {
    const api = fakeApi(config);
    navigate('#/groups/group-1');
    app = mount(App, { target: document.body, context: appContext(api) });
    await settle();
    api.handle('devices.browse', () => [
      { obis: '1-0:1.8.0.255', classId: 3, version: 0, name: 'Active energy import (+A), total', classLabel: 'REGISTER (ID: 3)' },
      // As the backend gives them today ('' for a class the spec does not list) and as classLabel() will.
      { obis: '0-0:25.3.0.255', classId: 44, version: 0, name: '', classLabel: '' },
      { obis: '0-0:25.10.0.255', classId: 100, version: 0, name: '', classLabel: 'NTP setup (ID: 100)' },
      { obis: '0-128:96.1.0.255', classId: 8193, version: 0, name: '', classLabel: '' },
    ]);
    click(button('Add value'));
    click(button('Browse objects'));
    await settle();
    const dialog = document.querySelector('[role="dialog"]')!;
    const rows = [...dialog.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''));
    expect(rows.map((r) => r[2])).toEqual(['REGISTER (ID: 3)', 'PPP setup (ID: 44)', 'NTP setup (ID: 100)', 'Manufacturer-specific class 8193']);
    const use = [...dialog.querySelectorAll<HTMLButtonElement>('tbody button')];
    expect(use.map((b) => b.disabled)).toEqual([false, true, true, true]);
    expect(use[1]!.title).toBe('The spec does not list this class');
    type(labelled('Filter', dialog) as HTMLInputElement, 'ppp');
    expect(dialog.querySelectorAll('tbody tr')).toHaveLength(1);
  });
});
