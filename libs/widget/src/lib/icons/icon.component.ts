import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * Line icons drawn as inline SVG (24×24, stroke = currentColor), so controls render the same on
 * every machine: emoji and symbol glyphs depend on the fonts a system happens to have.
 */
const PATHS = {
  mic: ['M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z', 'M19 11a7 7 0 0 1-14 0', 'M12 18v3'],
  'mic-off': [
    'M9 9v3a3 3 0 0 0 5.1 2.1',
    'M15 9.3V6a3 3 0 0 0-5.9-.8',
    'M17 16.9A7 7 0 0 1 5 11',
    'M19 11a7 7 0 0 1-.3 2',
    'M12 18v3',
    'M3 3l18 18',
  ],
  camera: ['M15 10l5-3v10l-5-3', 'M3 7h12v10H3z'],
  'camera-off': ['M15 10l5-3v10l-5-3', 'M10.7 7H15v4.3', 'M15 15v2H3V7h2', 'M3 3l18 18'],
  'phone-off': ['M4.5 13.5c4.1-3.4 10.9-3.4 15 0l-1.6 2.6-3.2-1.2-.5-2.2a12 12 0 0 0-4.4 0l-.5 2.2-3.2 1.2z'],
  record: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 8.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z'],
  'record-stop': ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M9 9h6v6H9z'],
  maximize: ['M8 3H3v5', 'M16 3h5v5', 'M21 16v5h-5', 'M3 16v5h5'],
  minimize: ['M3 8h5V3', 'M21 8h-5V3', 'M16 21v-5h5', 'M8 21v-5H3'],
  chat: ['M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z'],
  send: ['M22 2L11 13', 'M22 2l-7 20-4-9-9-4z'],
  download: ['M12 3v12', 'M7 10l5 5 5-5', 'M5 21h14'],
  hand: [
    'M18 11V6a2 2 0 0 0-4 0v5',
    'M14 10V4a2 2 0 0 0-4 0v6',
    'M10 10.5V6a2 2 0 0 0-4 0v8',
    'M18 8a2 2 0 1 1 4 0v6a8 8 0 0 1-8 8h-2c-2.8 0-4.5-.9-6-2.4l-3.6-3.6a2 2 0 0 1 2.8-2.8L7 15',
  ],
  screen: ['M3 4h18v12H3z', 'M8 20h8', 'M12 16v4'],
  users: [
    'M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2',
    'M9 3a4 4 0 1 0 0 8a4 4 0 1 0 0-8z',
    'M22 21v-2a4 4 0 0 0-3-3.9',
    'M16 3.1a4 4 0 0 1 0 7.8',
  ],
  grid: ['M3 3h7v7H3z', 'M14 3h7v7h-7z', 'M14 14h7v7h-7z', 'M3 14h7v7H3z'],
  speaker: ['M3 3h18v13H3z', 'M3 20h4', 'M10 20h4', 'M17 20h4'],
} as const;

export type IconName = keyof typeof PATHS;

@Component({
  selector: 'parley-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'aria-hidden': 'true', class: 'parley-icon' },
  styles: [
    ':host { display: inline-flex; width: 1.25em; height: 1.25em; } svg { width: 100%; height: 100%; }',
  ],
  template: `<svg
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
  >
    @for (d of paths(); track d) {
      <path [attr.d]="d" />
    }
  </svg>`,
})
export class IconComponent {
  readonly name = input.required<IconName>();
  protected readonly paths = computed(() => PATHS[this.name()]);
}
