import { createHash } from 'node:crypto';

/** Initials of a display name: first letters of the first and last words. */
export function initials(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return '?';
  }
  const first = Array.from(words[0])[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1])[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A stable hue derived from the user id. */
export function avatarColour(id: string): string {
  const hue = createHash('sha256').update(id).digest().readUInt16BE(0) % 360;
  return `hsl(${hue}, 55%, 45%)`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A 96×96 SVG: the initials, white on a disc coloured from the id. */
export function avatarSvg(id: string, displayName: string): string {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img"',
    ` aria-label="${escapeXml(displayName)}">`,
    `<circle cx="48" cy="48" r="48" fill="${avatarColour(id)}"/>`,
    '<text x="48" y="48" dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif"',
    ` font-size="38" font-weight="600" fill="#fff">${escapeXml(initials(displayName))}</text>`,
    '</svg>',
  ].join('');
}
