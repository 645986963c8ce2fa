import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../../core/app/api/rpc.js';
import { ConnectionSchema, PhysicalDeviceSchema } from '../../../../core/app/schema.js';
import { newConnection, emptyConfig, newDevice } from '../../../../core/app/new-items.js';
import { FormState } from '../../../../renderer/src/lib/forms/form-state.svelte.js';
import { fieldId, getPath, itemPath, setPath, splitPath } from '../../../../renderer/src/lib/forms/paths.js';

describe('field paths', () => {
  it('split, read and write the paths the schema reports', () => {
    expect(splitPath('values[12].obis')).toEqual(['values', 12, 'obis']);
    expect(splitPath('tcp.host')).toEqual(['tcp', 'host']);
    const o = { tcp: { host: 'a' }, values: [{ obis: 'x' }] };
    expect(getPath(o, 'values[0].obis')).toBe('x');
    expect(getPath(o, 'values[3].obis')).toBeUndefined();
    setPath(o, 'tcp.host', 'b');
    setPath(o, 'values[0].obis', 'y');
    expect(o).toEqual({ tcp: { host: 'b' }, values: [{ obis: 'y' }] });
  });

  it("turns the backend's configuration paths into the item's", () => {
    expect(itemPath('devices[3].serverAddress')).toBe('serverAddress');
    expect(itemPath('connections[0].tcp.port')).toBe('tcp.port');
    expect(itemPath('groups[1].values[2].obis')).toBe('values[2].obis');
    expect(itemPath('settings.globalEnabled')).toBe('globalEnabled');
    expect(fieldId('f', 'values[2].obis')).toBe('f-values-2-obis');
  });
});

describe('FormState', () => {
  it('shows a problem only once the field is touched or a save was tried', () => {
    const form = new FormState(PhysicalDeviceSchema, { ...newDevice(emptyConfig()), connectionId: 'connection-1' });
    expect(form.valid).toBe(true);
    form.draft.serverAddress = 256;
    expect(form.valid).toBe(false);
    expect(form.error('serverAddress')).toBeUndefined();
    form.touch('serverAddress');
    expect(form.error('serverAddress')).toBe('Server address: 256 is not valid: a whole number from 0 to 255 is allowed');
    expect(form.dirty).toBe(true);
  });

  it('says an emptied number is missing, and checked() gives nothing while invalid', () => {
    const form = new FormState(ConnectionSchema, newConnection(emptyConfig()));
    (form.draft.tcp as { connectTimeoutMs: unknown }).connectTimeoutMs = null;
    expect(form.checked()).toBeNull();
    expect(form.error('tcp.connectTimeoutMs')).toMatch(/^Connect timeout \(ms\) is missing: /);
    expect(form.error('tcp.host')).toMatch(/^IP address is missing: /);
    expect(form.error('tcp.port')).toMatch(/^Port is missing: /);
  });

  it("keeps the backend's problems at their fields until they change", () => {
    const form = new FormState(PhysicalDeviceSchema, { ...newDevice(emptyConfig()), connectionId: 'connection-1' });
    form.refused(
      new ApiCallError({ name: 'InputError', code: 'invalid-config', message: 'top', problems: [{ path: 'devices[0].name', message: 'Name: taken' }] }),
    );
    expect(form.error('name')).toBe('Name: taken');
    expect(form.formError).toBe('top');
    form.touch('name');
    expect(form.error('name')).toBeUndefined();
  });
});
