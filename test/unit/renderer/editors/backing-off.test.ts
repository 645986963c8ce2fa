// @vitest-environment happy-dom
/**
 * Main shows a device that polling backs off: "Backing off" in its status, the failure, and when
 * polling tries it again; after a success, "OK" and neither.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { setTimeDisplay } from '../../../../renderer/src/lib/time.js';
import { tableRow } from './dom.js';
import { polledConfig as polled } from './fake-api.js';
import { closeApp, openApp } from './mount-app.js';

beforeEach(() => void setTimeDisplay({ locale: 'en-GB', timeZone: 'UTC' }));
afterEach(() => {
  closeApp();
  setTimeDisplay({});
});

const FAILED_AT = Date.UTC(2026, 10, 1, 8, 0, 0);
const RETRY_AT = Date.UTC(2026, 10, 1, 8, 1, 0);

const deviceRow = (): HTMLTableRowElement => tableRow('physical-devices', 'Meter A');

describe('Main shows a device backing off', () => {
  it('its state, its failure and the next try; after a success, OK without them', async () => {
    const api = await openApp('#/', polled(), (a) => {
      a.status = {
        polling: true,
        connections: {},
        devices: {
          'device-1': {
            state: 'backing-off',
            lastReadAt: null,
            lastError: { name: 'TransportError', code: 'connection-refused', message: 'nothing accepts connections on port 4059', at: FAILED_AT },
            notRead: null,
            retryAt: RETRY_AT,
          },
        },
        groups: {},
      };
    });
    const row = deviceRow();
    expect(row.querySelector('.c-status')!.textContent).toBe('Backing off');
    expect(row.querySelector('.c-status .badge')!.classList.contains('backing-off')).toBe(true);
    const why = row.querySelector('.c-error')!.textContent!;
    expect(why).toContain('nothing accepts connections on port 4059');
    expect(why).toContain('Backing off: next try at 01/11/2026, 08:01:00 UTC');

    api.emit('status', {
      polling: true,
      connections: {},
      devices: { 'device-1': { state: 'ok', lastReadAt: RETRY_AT, lastError: null, notRead: null, retryAt: null } },
      groups: {},
    });
    flushSync();
    expect(deviceRow().querySelector('.c-status')!.textContent).toBe('OK');
    expect(deviceRow().querySelector('.c-error')!.textContent).not.toContain('next try');
    expect(deviceRow().querySelector('.c-time')!.textContent).toBe('01/11/2026, 08:01:00 UTC');
  });
});
