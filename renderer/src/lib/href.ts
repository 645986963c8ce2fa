/** The hash of a page, e.g. href('devices', 'device-1') -> '#/devices/device-1'; href() is Main. */
export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}
