/** Finding things the way a person (and a screen reader) does: by label text and button text. */
import { flushSync } from 'svelte';

export function labelled(text: string, root: ParentNode = document): HTMLInputElement | HTMLSelectElement {
  const labels = [...root.querySelectorAll('label')].filter((l) => l.textContent?.replace(/\s*\*\s*$/, '').trim() === text);
  if (labels.length !== 1) throw new Error(`expected one label "${text}", found ${labels.length}`);
  const id = labels[0]!.htmlFor;
  const el = document.getElementById(id);
  if (el === null) throw new Error(`label "${text}" points at #${id}, which is not there`);
  return el as HTMLInputElement | HTMLSelectElement;
}

export function hasLabel(text: string, root: ParentNode = document): boolean {
  return [...root.querySelectorAll('label')].some((l) => l.textContent?.replace(/\s*\*\s*$/, '').trim() === text);
}

/** The first button whose text is `text`, or unless `exact` starts with `text` and a space (a count or a hint after it). */
export function button(text: string, root: ParentNode = document, exact = false): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].filter((b) => b.textContent?.trim() === text || (!exact && b.textContent?.trim().startsWith(`${text} `)));
  if (found.length === 0)
    throw new Error(`no button "${text}"; buttons: ${[...root.querySelectorAll('button')].map((b) => JSON.stringify(b.textContent?.trim())).join(', ')}`);
  return found[0] as HTMLButtonElement;
}

/** The message line under a field. */
export function messageOf(el: Element): string {
  const id = el.getAttribute('aria-describedby');
  return id === null ? '' : (document.getElementById(id)?.textContent?.trim() ?? '');
}

export function type(el: HTMLInputElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

export function choose(el: HTMLSelectElement, optionText: string): void {
  const option = [...el.options].find((o) => o.textContent?.trim() === optionText);
  if (option === undefined) throw new Error(`no option "${optionText}" in ${el.id}: ${[...el.options].map((o) => o.textContent).join(', ')}`);
  el.value = option.value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

/** Chooses the option whose value is `value`. */
export function chooseValue(el: HTMLSelectElement, value: string): void {
  for (const o of el.options) o.selected = o.value === value;
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

export function click(el: HTMLElement): void {
  el.click();
  flushSync();
}

/** Let pending calls answer and the page catch up. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
}

/** The row named `name` (its .c-name cell) in the table of the section titled by `#${region}-title`. */
export function tableRow(region: string, name: string): HTMLTableRowElement {
  const section = document.querySelector(`[aria-labelledby="${region}-title"]`)!;
  return [...section.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('.c-name')?.textContent === name) as HTMLTableRowElement;
}
