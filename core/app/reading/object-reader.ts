/**
 * Every class without a reading of its own (script tables, setups, calendars, ...): all its
 * attributes from 2 on, each under its Blue Book name. Attributes this association may not read are
 * shown as such and, once refused, not asked again until the cache is invalidated. A class this app
 * has no attribute table for (a newer Blue Book class, a manufacturer's) is read raw: attributes 2
 * onwards, a few at a time, until the meter says an attribute does not exist.
 */
import type { DlmsValue } from '../../axdr/types.js';
import { attributeShown } from '../../cosem/attribute-text.js';
import { attributeLabel, findCosemClass } from '../../cosem/classes.js';
import { className } from '../../cosem/class-names.js';
import { AccessError, serializeError } from '../../errors.js';
import { isLastingRefusal } from './register-readers.js';
import type { LabelledAttribute, ObjectReading, Reading } from './types.js';
import { AttributeReader } from './value-reader.js';

/** Attributes asked per round of a class without a table, and the most asked in all. */
const RAW_ROUND = 8;
const RAW_LAST = 32;
/** Answers that mean "there is no such attribute": the end of a class read raw. */
const NO_SUCH_ATTRIBUTE: ReadonlySet<number> = new Set([4, 9, 11, 12]);

export class ObjectReader extends AttributeReader {
  private readonly known = findCosemClass(this.classId);

  protected plan(): readonly number[] {
    const refused = this.cache.refusedAttributes(this.classId, this.logicalName);
    if (this.known === undefined) return this.rawPlan();
    if (this.rounds > 0) return [];
    return this.known.attributes.map((a) => a.id).filter((id) => id !== 1 && !refused.has(id));
  }

  /** The next few attribute numbers, until one did not exist or RAW_LAST is reached. */
  private rawPlan(): readonly number[] {
    const asked = [...this.answers.keys()];
    const ended = [...this.answers.values()].some((r) => !r.ok && r.error instanceof AccessError && NO_SUCH_ATTRIBUTE.has(r.error.result));
    const next = asked.length === 0 ? 2 : Math.max(...asked) + 1;
    if (ended || next > RAW_LAST) return [];
    return Array.from({ length: Math.min(RAW_ROUND, RAW_LAST - next + 1) }, (_, i) => next + i);
  }

  /** Attribute ids and names: the class's table, or what was read of a class without one. */
  private attributeList(): readonly { id: number; name: string }[] {
    if (this.known !== undefined) return this.known.attributes;
    const ids = [...this.answers.keys()].sort((a, b) => a - b);
    // The first "no such attribute" marks the end: what follows it is not the object's.
    const end = ids.find((id) => {
      const r = this.answers.get(id)!;
      return !r.ok && r.error instanceof AccessError && NO_SUCH_ATTRIBUTE.has(r.error.result);
    });
    return ids.filter((id) => end === undefined || id < end).map((id) => ({ id, name: attributeLabel(this.classId, id) }));
  }

  protected override learn(): void {
    let anyRead = false;
    for (const r of this.answers.values()) anyRead ||= r.ok;
    // An object the meter does not have refuses everything; that is not worth remembering per attribute.
    if (!anyRead) return;
    for (const [id, r] of this.answers) if (isLastingRefusal(r)) this.cache.refuseAttribute(this.classId, this.logicalName, id);
  }

  protected build(): Reading {
    const refused = this.cache.refusedAttributes(this.classId, this.logicalName);
    const attributes: LabelledAttribute[] = [];
    const values: DlmsValue[] = [];
    let firstError: LabelledAttribute['error'] = null;
    let anyRead = false;
    for (const a of this.attributeList()) {
      if (a.id === 1) continue;
      const r = this.answers.get(a.id);
      if (r === undefined) {
        if (refused.has(a.id)) attributes.push({ id: a.id, name: a.name, raw: null, text: null, error: REFUSED_BEFORE });
        continue;
      }
      if (r.ok) {
        anyRead = true;
        values.push(r.value);
        const shown = attributeShown(this.classId, a.id, r.value);
        attributes.push({ id: a.id, name: a.name, raw: r.value, text: shown.text, ...(shown.table === null ? {} : { table: shown.table }), error: null });
      } else {
        const error = serializeError(r.error);
        firstError ??= error;
        attributes.push({ id: a.id, name: a.name, raw: null, text: null, error });
      }
    }
    // Some attributes refused is normal (secrets, management-only ones); none readable is the reading's error.
    if (!anyRead && firstError !== null) this.fail(firstError);
    if (this.known === undefined && attributes.length === 0 && firstError === null && this.error === null) {
      this.fail(new AccessError(`${className(this.classId)}: the meter gave no attribute of this object`, 4, 'object-undefined'));
    }
    const reading: ObjectReading = {
      ...this.base(null),
      kind: 'object',
      raw: anyRead ? { type: 'structure', items: values } : null,
      attributes,
    };
    return reading;
  }
}

const REFUSED_BEFORE = {
  name: 'AccessError',
  code: 'refused-earlier',
  message: 'the meter refused this attribute to this association earlier; it is not asked again until the device reconnects',
} as const;
