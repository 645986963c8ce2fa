/**
 * Every class without a reading of its own (script tables, setups, calendars, ...): all its
 * attributes from 2 on, each under its Blue Book name. Attributes this association may not read are
 * shown as such and, once refused, not asked again until the cache is invalidated.
 */
import { formatValue } from '../../axdr/format.js';
import type { DlmsValue } from '../../axdr/types.js';
import { cosemClass } from '../../cosem/classes.js';
import { serializeError } from '../../errors.js';
import { isLastingRefusal } from './register-readers.js';
import type { LabelledAttribute, ObjectReading, Reading } from './types.js';
import { AttributeReader } from './value-reader.js';

export class ObjectReader extends AttributeReader {
  protected plan(): readonly number[] {
    if (this.rounds > 0) return [];
    const refused = this.cache.refusedAttributes(this.classId, this.logicalName);
    return cosemClass(this.classId)
      .attributes.map((a) => a.id)
      .filter((id) => id !== 1 && !refused.has(id));
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
    for (const a of cosemClass(this.classId).attributes) {
      if (a.id === 1) continue;
      const r = this.answers.get(a.id);
      if (r === undefined) {
        if (refused.has(a.id)) attributes.push({ id: a.id, name: a.name, raw: null, text: null, error: REFUSED_BEFORE });
        continue;
      }
      if (r.ok) {
        anyRead = true;
        values.push(r.value);
        attributes.push({ id: a.id, name: a.name, raw: r.value, text: formatValue(r.value), error: null });
      } else {
        const error = serializeError(r.error);
        firstError ??= error;
        attributes.push({ id: a.id, name: a.name, raw: null, text: null, error });
      }
    }
    // Some attributes refused is normal (secrets, management-only ones); none readable is the reading's error.
    if (!anyRead && firstError !== null) this.fail(firstError);
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
