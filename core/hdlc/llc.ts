/**
 * The LLC header that IEC 62056-46 puts before each APDU (ISO/IEC 8802-2): destination LSAP 0xE6,
 * source LSAP 0xE6 (command, client to server) or 0xE7 (response, server to client), quality 0x00.
 * It travels in the first segment only.
 */
export const LLC_HEADER_LENGTH = 3;
export const LLC_CLIENT_TO_SERVER: Uint8Array = Uint8Array.of(0xe6, 0xe6, 0x00);
export const LLC_SERVER_TO_CLIENT: Uint8Array = Uint8Array.of(0xe6, 0xe7, 0x00);

/** True when `bytes` starts with either LLC header. */
export function hasLlcHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xe6 && (bytes[1] === 0xe6 || bytes[1] === 0xe7) && bytes[2] === 0x00;
}
