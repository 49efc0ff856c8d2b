/**
 * The small connection indicator in a group tile's top-right corner: three bars, green / amber /
 * red, `data-testid="tile-quality"`, `data-quality`, and "Connection: good|fair|poor" for screen
 * readers (and as its tooltip).
 */
import type { CallQuality } from './quality';

const COLORS: Record<CallQuality, string> = { good: '#22c55e', fair: '#f59e0b', poor: '#ef4444' };
const LIT: Record<CallQuality, number> = { good: 3, fair: 2, poor: 1 };

/** Shows `level` on `tile` (made the first time). */
export function showQuality(tile: HTMLElement, level: CallQuality): void {
  let badge = tile.querySelector<HTMLElement>(':scope > [data-testid="tile-quality"]');
  if (!badge) {
    badge = document.createElement('span');
    badge.dataset['testid'] = 'tile-quality';
    badge.setAttribute('role', 'img');
    Object.assign(badge.style, {
      position: 'absolute',
      top: '6px',
      right: '6px',
      display: 'flex',
      alignItems: 'flex-end',
      gap: '2px',
      padding: '3px 4px',
      borderRadius: '4px',
      background: 'rgb(0 0 0 / 55%)',
    } satisfies Partial<CSSStyleDeclaration>);
    for (let i = 1; i <= 3; i++) {
      const bar = document.createElement('span');
      Object.assign(bar.style, { width: '3px', height: `${i * 3 + 2}px`, borderRadius: '1px' });
      badge.append(bar);
    }
    tile.append(badge);
  }
  if (badge.dataset['quality'] === level) return;
  badge.dataset['quality'] = level;
  const label = `Connection: ${level}`;
  badge.setAttribute('aria-label', label);
  badge.title = label;
  [...badge.children].forEach((bar, i) => {
    (bar as HTMLElement).style.background = i < LIT[level] ? COLORS[level] : 'rgb(255 255 255 / 35%)';
  });
}
