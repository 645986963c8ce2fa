/**
 * The note each job writes into its connection's trace as its conversation starts ("start of poll:
 * group "Energy" ..."), so a person finds the frames of the read they care about by filtering on the
 * group's or the value's name: on one link jobs take turns, so a job's frames run from its start note
 * to the next one. Names only: never a password or key (the trace masks those anyway).
 */

export type TraceJobKind = 'poll' | 'group test' | 'device test' | 'read range' | 'meter read' | 'meter change' | 'browse';

const PREFIX = 'start of ';
const MAX_NAMES = 6;

/** `start of poll: group "Energy" (3 values: Import, Export, Power) on "Meter A"` */
export function jobStartNote(kind: TraceJobKind, what: string, device?: string): string {
  return `${PREFIX}${kind}: ${what}${device === undefined ? '' : ` on "${device}"`}`;
}

/** `group "Energy" (3 values: Import, Export, Power)`; long lists end with "and N more". */
export function groupNoteText(group: string, values: readonly string[]): string {
  const shown = values.slice(0, MAX_NAMES).join(', ');
  const more = values.length > MAX_NAMES ? ` and ${values.length - MAX_NAMES} more` : '';
  return `group "${group}" (${values.length} ${values.length === 1 ? 'value' : 'values'}${values.length === 0 ? '' : `: ${shown}${more}`})`;
}

/** Is this note the start of a job (poll, test, read)? */
export function isJobStartNote(summary: string): boolean {
  return summary.startsWith(PREFIX);
}

/** The start note of a job that reads some values of a group from one device (a poll, a group Test). */
export function groupJobNote(
  kind: TraceJobKind,
  group: { readonly name: string; readonly values: readonly { readonly id: string; readonly name: string; readonly deviceId: string }[] } | undefined,
  deviceId: string,
  devices: readonly { readonly id: string; readonly name: string }[],
  valueIds?: readonly string[],
): string {
  const values = (group?.values ?? []).filter((v) => v.deviceId === deviceId && (valueIds === undefined || valueIds.includes(v.id)));
  const device = devices.find((d) => d.id === deviceId)?.name ?? deviceId;
  return jobStartNote(
    kind,
    groupNoteText(
      group?.name ?? '(a group no longer saved)',
      values.map((v) => v.name),
    ),
    device,
  );
}
