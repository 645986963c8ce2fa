/**
 * CSV export as the dialog offers it: the two delimiter/decimal pairs spreadsheets read, a time zone,
 * and what to tell the person afterwards. In browser mode the saved file is downloaded through the
 * one-time URL the server answered with.
 */
import { CSV_PRESET_NAMES, type CsvPresetName, type ExportOutcome } from '../../../../core/app/api/types.js';

export type CsvPreset = CsvPresetName;
export type CsvTimeZone = 'utc' | 'local';

const PRESET_LABELS: Readonly<Record<CsvPreset, string>> = {
  standard: 'Comma ( , ) and point ( . )',
  'excel-europe': 'Semicolon ( ; ) and comma ( , )',
};

export const CSV_PRESET_CHOICES: readonly { readonly id: CsvPreset; readonly label: string }[] = CSV_PRESET_NAMES.map((id) => ({
  id,
  label: PRESET_LABELS[id],
}));

export const TIME_ZONE_CHOICES: readonly { readonly id: CsvTimeZone; readonly label: string }[] = [
  { id: 'utc', label: 'UTC' },
  { id: 'local', label: 'Local time' },
];

export type ExportTarget = { readonly kind: 'group'; readonly groupId: string } | { readonly kind: 'profile'; readonly profileId: number };

/** The sentence shown after a save; null when the person cancelled the save dialog (nothing to say). */
export function outcomeMessage(outcome: ExportOutcome): string | null {
  if (outcome.status === 'cancelled') return null;
  return `Saved ${outcome.rows} ${outcome.rows === 1 ? 'row' : 'rows'} to ${outcome.fileName}`;
}

/** Browser mode: hand the file to the browser's downloads with a temporary link. */
export function downloadUrl(url: string, fileName: string, doc: Document = document): void {
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
}

/** A text file made here (the trace export) downloaded through a Blob URL. */
export function downloadText(text: string, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  try {
    downloadUrl(url, fileName, doc);
  } finally {
    // The click has started the download; the URL can go once the event loop moves on.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
