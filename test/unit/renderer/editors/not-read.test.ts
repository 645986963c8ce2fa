// @vitest-environment happy-dom
/**
 * Nothing is read, and the app says why: each row of Main and Connections gives the reason polling
 * leaves it, the banner counts the groups really read, and an editor says it beside Enable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import type { AppConfig } from '../../../../core/app/schema.js';
import { messageOf, settle, tableRow } from './dom.js';
import { polledConfig, tcpConnection } from './fake-api.js';
import { closeApp, openApp } from './mount-app.js';

afterEach(() => closeApp());

/** The setup: connection off (the spec's default), device and group on, polling on. */
const connectionOff = (): Partial<AppConfig> => ({ ...polledConfig(), connections: [{ ...tcpConnection('connection-1', 'Lab TCP'), enable: false }] });

const row = tableRow;

describe('Main says why nothing is read', () => {
  it('the banner counts the groups really read, and each row says why it is not read', async () => {
    const api = await openApp('#/', connectionOff(), (a) => {
      a.status = {
        polling: true,
        connections: { 'connection-1': { state: 'disabled', lastReadAt: null, lastError: null, notRead: null } },
        devices: { 'device-1': { state: 'not-read', lastReadAt: null, lastError: null, notRead: 'its connection "Lab TCP" is off' } },
        groups: {
          'group-1': {
            state: 'not-read',
            lastReadAt: null,
            lastError: null,
            notRead: 'the connection "Lab TCP" of physical device "Meter A" is off',
            nextDueAt: null,
            skipped: 0,
          },
        },
      };
    });
    const banner = document.querySelector('.polling')!.textContent!;
    expect(banner).toContain('Polling is on');
    expect(banner).not.toContain('1 enabled cosem group read');
    expect(banner).toContain('no cosem group is read');
    expect(banner).toContain('"Energy": the connection "Lab TCP" of physical device "Meter A" is off');

    const meter = row('physical-devices', 'Meter A');
    expect(meter.querySelector('.c-status')!.textContent).toBe('Not read');
    expect(meter.textContent).toContain('its connection "Lab TCP" is off');
    expect(row('cosem-groups', 'Energy').textContent).toContain('Not read');

    // Turned on and read: the banner counts it.
    api.config = { ...api.config, connections: [tcpConnection('connection-1', 'Lab TCP')] };
    api.emit('config', api.config);
    flushSync();
    expect(document.querySelector('.polling')!.textContent).toContain('1 cosem group read on its interval');
  });
});

/** The item's own Enable (a group's value rows have theirs). */
const enable = (): HTMLInputElement => document.getElementById('f-enable') as HTMLInputElement;

describe('an editor says beside Enable why its item is not read', () => {
  it('a device whose connection is off', async () => {
    await openApp('#/devices/device-1', connectionOff());
    expect(messageOf(enable())).toBe('Not read: its connection "Lab TCP" is off.');
  });

  it('a new connection, device or group: Enable is off (the spec default)', async () => {
    await openApp('#/connections/connection-1', { ...connectionOff() });
    expect(messageOf(enable())).toBe('Not read: Enable is off.');
  });

  it('a group: what it leaves, and nothing once all is on', async () => {
    const config = connectionOff();
    await openApp('#/groups/group-1', config);
    expect(messageOf(enable())).toBe('Not read: the connection "Lab TCP" of physical device "Meter A" is off.');
    closeApp();
    await openApp('#/groups/group-1', { ...config, connections: [tcpConnection('connection-1', 'Lab TCP')] });
    await settle();
    expect(messageOf(enable())).toBe('');
  });
});
