/**
 * Whether deciphered bytes start the way a plain xDLMS APDU does. When a tag fails this tells a
 * person which key is wrong: with the right block cipher key (and system title) the keystream is
 * right and the text still starts like an APDU, so the authentication key must be the wrong one.
 * Random bytes pass this by chance well under 1% of the time.
 */

type Shape = (b: Uint8Array) => boolean;

const between = (v: number | undefined, lo: number, hi: number): boolean => v !== undefined && v >= lo && v <= hi;
/** An OPTIONAL / DEFAULT field's presence flag is 0x00 or 0x01. */
const flag = (v: number | undefined): boolean => v === 0 || v === 1;
/** A SEQUENCE OF count below 128, then the first element's CHOICE tag in [lo, hi]. */
const countThen =
  (lo: number, hi: number): Shape =>
  (b) =>
    between(b[1], 1, 0x7f) && between(b[2], lo, hi);

/** Plain xDLMS tag -> what its next bytes must look like. */
const SHAPES: ReadonlyMap<number, Shape> = new Map<number, Shape>([
  // initiate-request: dedicated-key flag (then the key's length, 16), else the response-allowed flag.
  [0x01, (b) => (b[1] === 1 ? b[2] === 16 : b[1] === 0 && flag(b[2]))],
  [0x05, countThen(2, 6)], // read-request: variable-access-specification
  [0x06, countThen(2, 6)], // write-request
  // initiate-response: negotiated-quality-of-service flag, then the DLMS version.
  [0x08, (b) => flag(b[1]) && (b[1] === 1 ? b[3] === 6 : b[2] === 6)],
  [0x0c, countThen(0, 3)], // read-response: data / data-access-error / data-block-result / block-number
  [0x0d, countThen(0, 1)], // write-response: success / data-access-error
  [0x0e, (b) => between(b[1], 1, 24)], // confirmed-service-error: which service failed
  [0x0f, (b) => b[5] === 0x00 || b[5] === 0x0c], // data-notification: long-invoke-id, then date-time length
  [0x16, countThen(2, 6)], // unconfirmed-write-request
  [0x18, (b) => flag(b[1])], // information-report-request: current-time flag
  [0xc0, (b) => between(b[1], 1, 3)], // get-request: normal / next / with-list
  [0xc1, (b) => between(b[1], 1, 5)], // set-request
  [0xc2, (b) => flag(b[1])], // event-notification-request: time flag
  [0xc3, (b) => between(b[1], 1, 6)], // action-request
  [0xc4, (b) => between(b[1], 1, 3)], // get-response
  [0xc5, (b) => between(b[1], 1, 5)], // set-response
  [0xc7, (b) => between(b[1], 1, 4)], // action-response
  [0xd8, (b) => between(b[1], 1, 2)], // exception-response: state-error
  [0xd9, (b) => b[5] === 0x00 || b[5] === 0x0c], // access-request: long-invoke-id, then date-time length
  [0xda, (b) => b[5] === 0x00 || b[5] === 0x0c], // access-response
]);

export function looksLikeXdlmsApdu(bytes: Uint8Array): boolean {
  const tag = bytes[0];
  if (tag === undefined) return false;
  const shape = SHAPES.get(tag);
  return shape !== undefined && shape(bytes);
}
