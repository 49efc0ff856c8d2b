import type { MessageAttachment } from './directory';

/** A length in milliseconds as `mm:ss` (`h:mm:ss` from one hour), e.g. `65000` -> `01:05`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round((Number.isFinite(ms) ? ms : 0) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${minutes}:${seconds}` : `${minutes}:${seconds}`;
}

/** A file size in KB under 1 MB, else MB with one decimal (1 KB = 1024 bytes), e.g. `2.4 MB`. */
export function formatFileSize(bytes: number): string {
  const size = Math.max(0, Number.isFinite(bytes) ? bytes : 0);
  if (size < 1024 * 1024) return `${Math.max(1, Math.round(size / 1024))} KB`;
  if (size < 1024 * 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MB`;
  return `${(size / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** What a message's attachment row shows next to the name, e.g. `01:05 · 2.4 MB`. */
export function attachmentDetails(attachment: MessageAttachment): string {
  return `${formatDuration(attachment.durationMs)} · ${formatFileSize(attachment.sizeBytes)}`;
}

/** The message of a caught value: an `Error`'s message, anything else as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
