// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { ApiCallError } from '../../../../core/app/api/rpc.js';
import { navigate, parseRoute } from '../../../../renderer/src/lib/router.svelte.js';
import { button, click, labelled, settle } from './dom.js';
import { device, tcpConnection } from './fake-api.js';
import { closeApp, openApp } from './mount-app.js';

afterEach(() => closeApp());

const config = () => ({
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1')],
});

describe('routes', () => {
  it('reads every page of the hash', () => {
    expect(parseRoute('')).toEqual({ page: 'main' });
    expect(parseRoute('#/')).toEqual({ page: 'main' });
    expect(parseRoute('#/connections')).toEqual({ page: 'connections' });
    expect(parseRoute('#/connections/connection-2')).toEqual({ page: 'item', list: 'connections', id: 'connection-2' });
    expect(parseRoute('#/devices/device-1')).toEqual({ page: 'item', list: 'devices', id: 'device-1' });
    expect(parseRoute('#/groups/group-1')).toEqual({ page: 'item', list: 'groups', id: 'group-1' });
    // A list's name alone is the page the list is on.
    expect(parseRoute('#/devices')).toEqual({ page: 'main' });
    expect(parseRoute('#/groups')).toEqual({ page: 'main' });
    expect(parseRoute('#/devices/a%2Fb')).toEqual({ page: 'item', list: 'devices', id: 'a/b' });
    expect(parseRoute('#/readings')).toEqual({ page: 'readings', groupId: null });
    expect(parseRoute('#/readings/group-3')).toEqual({ page: 'readings', groupId: 'group-3' });
    expect(parseRoute('#/trace/connection-1')).toEqual({ page: 'trace', connectionId: 'connection-1' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'not-found', path: 'nowhere' });
  });

  it('the nav marks the current page, and an unknown item says so', async () => {
    await openApp('#/connections', config());
    expect(document.querySelector('nav a[aria-current="page"]')!.textContent).toBe('Connections');
    navigate('#/devices/device-9');
    await settle();
    expect(document.querySelector('h1')!.textContent).toBe('No such physical device');
  });
});

describe('shell', () => {
  it('shows the connection-lost banner in browser mode once the socket drops, and hides it when back', async () => {
    const api = await openApp('#/', config(), (a) => {
      a.info = { ...a.info, mode: 'web' };
    });
    expect(document.body.textContent).not.toContain('connection to Cosem Studio was lost');
    api.setConnected(false);
    flushSync();
    expect(document.querySelector('[role="alert"]')!.textContent).toContain('The connection to Cosem Studio was lost');
    api.setConnected(true);
    await settle();
    expect(document.body.textContent).not.toContain('connection to Cosem Studio was lost');
    // Back again: the page fetched what it may have missed.
    expect(api.callsOf('config.get')).toHaveLength(2);
  });

  it('shows the demo notice while the demo is installed; Remove demo removes it', async () => {
    const api = await openApp('#/', config(), (a) => {
      a.info = { ...a.info, demo: { installed: true, meterRunning: true, port: 4059 } };
    });
    expect(document.body.textContent).toContain('Demo');
    click(button('Remove demo'));
    await settle();
    expect(api.callsOf('demo.remove')).toHaveLength(1);
    expect(document.body.textContent).not.toContain('Remove demo');
  });

  it('says whether polling is on', async () => {
    const api = await openApp('#/', config());
    expect(document.querySelector('.polling')!.textContent).toContain('Polling is off');
    expect(document.querySelector('.polling')!.textContent).toContain('Global enable is off');
    api.emit('status', {
      polling: true,
      connections: {},
      devices: {
        'device-1': { state: 'error', lastReadAt: null, lastError: { name: 'TimeoutError', code: 'timeout', message: 'no answer within 5000 ms', at: 1 } },
      },
      groups: {},
    });
    flushSync();
    expect(document.querySelector('.polling')!.textContent).toContain('Polling is on');
    expect(document.body.textContent).toContain('no answer within 5000 ms');
    expect(document.body.textContent).toContain('Error');
  });
});

describe('cog dialog', () => {
  it('Escape closes it without saving and gives focus back to the cog', async () => {
    const api = await openApp('#/', config());
    const cog = document.querySelector<HTMLButtonElement>('button[aria-label="Settings"]')!;
    cog.focus();
    click(cog);
    const dialog = document.querySelector('[role="dialog"]')!;
    (labelled('Global enable', dialog) as HTMLInputElement).click();
    flushSync();
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    flushSync();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(cog);
    expect(api.callsOf('settings.save')).toEqual([]);
  });
});

describe('export and import of the configuration', () => {
  it('exports without secrets unless asked, as a file download', async () => {
    const api = await openApp('#/', config(), (a) =>
      a.handle('config.export', ({ includeSecrets }: { includeSecrets: boolean }) => ({
        json: `{"secrets":${includeSecrets}}`,
        fileName: 'cosem-studio.json',
      })),
    );
    const created: Blob[] = [];
    const createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });

    click(button('Export configuration'));
    const dialog = document.querySelector('[role="dialog"]')!;
    const box = labelled('Include passwords and keys', dialog) as HTMLInputElement;
    expect(box.checked).toBe(false);
    dialog.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf('config.export').map((c) => c.arg)).toEqual([{ includeSecrets: false }]);
    expect(clicked).toEqual(['cosem-studio.json']);
    expect(await created[0]!.text()).toBe('{"secrets":false}');
    expect(document.querySelector('[role="dialog"]')).toBeNull();

    click(button('Export configuration'));
    const again = document.querySelector('[role="dialog"]')!;
    (labelled('Include passwords and keys', again) as HTMLInputElement).click();
    flushSync();
    again.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf('config.export')[1]!.arg).toEqual({ includeSecrets: true });
    spy.mockRestore();
  });

  it("imports a file and lists the backend's problems when it refuses", async () => {
    const api = await openApp('#/', config(), (a) =>
      a.handle('config.import', () => {
        throw new ApiCallError({
          name: 'InputError',
          code: 'invalid-config',
          message: 'Connection "Lab TCP": Port: 70000 is not valid; and 1 more problem',
          problems: [
            { path: 'connections[0].tcp.port', message: 'Connection "Lab TCP": Port: 70000 is not valid: a whole number from 1 to 65535 is allowed' },
            { path: 'devices[0].name', message: 'Physical device 1: Name is missing: text of 1 to 64 characters is allowed' },
          ],
        });
      }),
    );
    const input = labelled('Import configuration file') as HTMLInputElement;
    const file = new File(['{"version":1}'], 'site.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    const dialog = document.querySelector('[role="dialog"]')!;
    expect(dialog.textContent).toContain('site.json');
    click(button('Import', dialog));
    await settle();
    expect(api.callsOf('config.import').map((c) => c.arg)).toEqual([{ json: '{"version":1}' }]);
    const text = document.querySelector('[role="dialog"]')!.textContent!;
    expect(text).toContain('2 problems');
    // Items by name (or position where the file gives none), not by JSON path.
    expect(text).toContain('Connection "Lab TCP": Port: 70000');
    expect(text).toContain('Physical device 1: Name is missing');
    expect(text).not.toContain('connections[0]');
  });
});
