/** A select's options from a list of allowed values, labelled by their spec words where there are any (else the value). */
export function choices<T extends string | number>(values: readonly T[], labels?: Readonly<Record<T, string>>): { value: T; label: string }[] {
  return values.map((v) => ({ value: v, label: labels?.[v] ?? String(v) }));
}
