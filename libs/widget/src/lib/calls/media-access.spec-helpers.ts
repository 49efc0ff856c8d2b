/** Test-only: what `navigator.permissions.query` answers for camera and microphone (jsdom has none). */
export function grantMedia(state: PermissionState): void {
  Object.defineProperty(globalThis.navigator, 'permissions', {
    configurable: true,
    value: { query: () => Promise.resolve({ state }) },
  });
}

/** A getUserMedia-like error (jsdom's DOMException carries the name). */
export function mediaError(name: string): DOMException {
  return new DOMException('refused', name);
}
