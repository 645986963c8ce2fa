// @vitest-environment happy-dom
/**
 * The cosem group's value rows as a person fills them: the class (and a name) follows the OBIS code
 * typed, as the CLI reads it, until the person chooses their own; a row added after a Test or a
 * refused Save is not judged before anything is typed into it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig, CosemGroup } from '../../../../core/app/schema.js';
import { button, choose, click, labelled, messageOf, settle, type } from './dom.js';
import { device, tcpConnection } from './fake-api.js';
import { closeApp, openApp } from './mount-app.js';

afterEach(() => closeApp());

const withGroup = (values: CosemGroup['values'] = []): Partial<AppConfig> => ({
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1')],
  groups: [{ id: 'group-1', enable: true, name: 'Energy', interval: 60, values }],
});

const rows = (): HTMLTableRowElement[] => [...document.querySelectorAll<HTMLTableRowElement>('.values-table tbody tr')];
const inRow = (i: number, label: string) => labelled(label, rows()[i]!);
const chosenClass = (i: number): string => {
  const select = inRow(i, 'COSEM class id') as HTMLSelectElement;
  return select.options[select.selectedIndex]!.textContent!;
};
const nameOf = (i: number): string => (inRow(i, 'Name') as HTMLInputElement).value;
const submit = (): void => {
  button('Save')
    .closest('form')!
    .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
};

describe('an OBIS code typed into a value row', () => {
  it('fills the class and the name from the code, as the CLI reads it', async () => {
    const api = await openApp('#/groups/group-1', withGroup());
    click(button('Add value'));
    expect(chosenClass(0)).toBe('DATA (ID: 1)');
    expect(nameOf(0)).toBe('Value 1');

    type(inRow(0, 'OBIS code') as HTMLInputElement, '1-0:1.8.0.255');
    expect(chosenClass(0)).toBe('REGISTER (ID: 3)');
    expect(nameOf(0)).toBe('Active energy import (+A), total');

    // The code changes: class and name follow while they are still the code's own.
    type(inRow(0, 'OBIS code') as HTMLInputElement, '0-0:1.0.0.255');
    expect(chosenClass(0)).toBe('CLOCK (ID: 8)');
    expect(nameOf(0)).toBe('Clock');
    type(inRow(0, 'OBIS code') as HTMLInputElement, '1-0:99.1.0.255');
    expect(chosenClass(0)).toBe('PROFILE GENERIC (ID: 7)');
    type(inRow(0, 'OBIS code') as HTMLInputElement, '0-0:40.0.0.255');
    expect(chosenClass(0)).toBe('ASSOCIATION LOGICAL NAME (ID: 15)');
    type(inRow(0, 'OBIS code') as HTMLInputElement, '0-0:22.0.0.255');
    expect(chosenClass(0)).toBe('IEC HDLC SETUP (ID: 23)');
    type(inRow(0, 'OBIS code') as HTMLInputElement, '0-0:96.1.0.255');
    expect(chosenClass(0)).toBe('DATA (ID: 1)');

    type(inRow(0, 'OBIS code') as HTMLInputElement, '1-0:32.7.0.255');
    submit();
    await settle();
    const saved = api.callsOf('groups.save')[0]!.arg as CosemGroup;
    expect(saved.values[0]).toMatchObject({ obis: '1-0:32.7.0.255', classId: 3, attribute: 2, name: 'Voltage L1, instantaneous' });
  });

  it('leaves a class or a name the person chose', async () => {
    await openApp('#/groups/group-1', withGroup());
    click(button('Add value'));
    choose(inRow(0, 'COSEM class id') as HTMLSelectElement, 'EXTENDED REGISTER (ID: 4)');
    type(inRow(0, 'Name') as HTMLInputElement, 'Kitchen import');
    type(inRow(0, 'OBIS code') as HTMLInputElement, '1-0:1.8.0.255');
    expect(chosenClass(0)).toBe('EXTENDED REGISTER (ID: 4)');
    expect(nameOf(0)).toBe('Kitchen import');

    // A second row: the name typed by hand stays, the class still follows the code.
    click(button('Add value'));
    type(inRow(1, 'Name') as HTMLInputElement, 'Phase voltage');
    type(inRow(1, 'OBIS code') as HTMLInputElement, '1-0:32.7.0.255');
    expect(chosenClass(1)).toBe('REGISTER (ID: 3)');
    expect(nameOf(1)).toBe('Phase voltage');
  });

  it('a second row of the same code gets a name of its own, as the values of a group need', async () => {
    await openApp('#/groups/group-1', withGroup());
    click(button('Add value'));
    click(button('Add value'));
    type(inRow(0, 'OBIS code') as HTMLInputElement, '1-0:1.8.0.255');
    type(inRow(1, 'OBIS code') as HTMLInputElement, '1-0:1.8.0.255');
    expect(nameOf(0)).toBe('Active energy import (+A), total');
    expect(nameOf(1)).toBe('Active energy import (+A), total (2)');
  });

  it('leaves a saved row whose class differs from what its code suggests', async () => {
    await openApp(
      '#/groups/group-1',
      withGroup([{ id: 'value-1', enable: true, name: 'Import', deviceId: 'device-1', obis: '1-0:1.8.0.255', classId: 4, attribute: 2, entries: null }]),
    );
    type(inRow(0, 'OBIS code') as HTMLInputElement, '1-0:2.8.0.255');
    expect(chosenClass(0)).toBe('EXTENDED REGISTER (ID: 4)');
    expect(nameOf(0)).toBe('Import');
  });
});

describe('a row added after a Test or a refused Save', () => {
  it('is not judged before anything is typed into it', async () => {
    const api = await openApp(
      '#/groups/group-1',
      withGroup([{ id: 'value-1', enable: true, name: 'Import', deviceId: 'device-1', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, entries: null }]),
    );
    api.handle('groups.test', () => ({ groupId: 'group-1', readAt: 0, readings: [], failures: [] }));
    click(button('Test'));
    await settle();
    expect(api.callsOf('groups.test')).toHaveLength(1);

    click(button('Add value'));
    expect(document.body.textContent).not.toContain('not saved');
    expect(document.querySelector('[role="alert"]')).toBeNull();
    const obis = inRow(1, 'OBIS code') as HTMLInputElement;
    expect(obis.getAttribute('aria-invalid')).toBe('false');
    expect(messageOf(obis)).toBe('');

    // Once left empty it says why; Save then lists it.
    obis.dispatchEvent(new Event('blur'));
    await settle();
    expect(messageOf(obis)).toMatch(/^OBIS code/);
    submit();
    await settle();
    expect(document.body.textContent).toContain('Cosem group not saved');
  });

  it('a refused Save judges the rows it saw; a row added afterwards waits', async () => {
    await openApp('#/groups/group-1', withGroup());
    click(button('Add value'));
    submit();
    await settle();
    expect((inRow(0, 'OBIS code') as HTMLInputElement).getAttribute('aria-invalid')).toBe('true');
    click(button('Add value'));
    expect((inRow(1, 'OBIS code') as HTMLInputElement).getAttribute('aria-invalid')).toBe('false');
    // The list at the top names only the first row's problem.
    const alert = document.querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain('a field needs attention');
  });

  it('a Test whose draft has a problem says the group was not tested, not "not saved"', async () => {
    const api = await openApp('#/groups/group-1', withGroup());
    api.handle('groups.test', () => ({ groupId: 'group-1', readAt: 0, readings: [], failures: [] }));
    click(button('Add value'));
    click(button('Test'));
    await settle();
    expect(api.callsOf('groups.test')).toEqual([]);
    expect(document.body.textContent).toContain('Cosem group not tested');
    expect(document.body.textContent).not.toContain('not saved');
  });
});

describe("a group Test's objects", () => {
  it("shows an association's object list as a table of class, OBIS code, version and name", async () => {
    const api = await openApp(
      '#/groups/group-1',
      withGroup([{ id: 'value-1', enable: true, name: 'Association', deviceId: 'device-1', obis: '0-0:40.0.0.255', classId: 15, attribute: 2, entries: null }]),
    );
    const reading = {
      valueId: 'value-1',
      deviceId: 'device-1',
      name: 'Association',
      obis: '0-0:40.0.0.255',
      classId: 15,
      attribute: 2,
      kind: 'value',
      readAt: 0,
      captureTime: null,
      value: null,
      text: '2 objects',
      unit: null,
      status: null,
      error: null,
      table: {
        columns: ['Class', 'OBIS code', 'Version', 'Name'],
        rows: [
          ['Clock (8)', '0-0:1.0.0.255', '0', 'Clock'],
          ['IEC HDLC setup (23)', '0-0:22.0.0.255', '1', 'IEC HDLC setup'],
        ],
      },
    };
    api.handle('groups.test', () => ({ groupId: 'group-1', readAt: 0, readings: [reading], failures: [] }));
    click(button('Test'));
    await settle();
    const table = document.querySelector('table[aria-label="Association: 2 objects"]')!;
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Class', 'OBIS code', 'Version', 'Name']);
    expect([...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual(reading.table.rows);
  });
});
