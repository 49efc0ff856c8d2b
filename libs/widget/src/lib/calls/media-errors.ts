/** A clear sentence for a failed `getUserMedia` (permission denied, no device, device busy). */
export function mediaErrorMessage(err: unknown): string {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera and microphone access is blocked. Allow it in your browser’s site settings, then call again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera or microphone was found. Plug one in, then call again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'Your camera or microphone is in use by another application.';
    default:
      return err instanceof Error && err.message
        ? err.message
        : 'Could not start your camera and microphone.';
  }
}
