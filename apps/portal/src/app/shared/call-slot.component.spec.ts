import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CallSlotComponent, type CallSlotName, type CallTarget } from './call-slot.component';

@Component({
  imports: [CallSlotComponent],
  template: `<parley-call-slot [slot]="slot()" [target]="target()" />`,
})
class HostComponent {
  readonly slot = signal<CallSlotName>('popover');
  readonly target = signal<CallTarget>({ kind: 'user', userId: 'u42' });
}

describe('CallSlotComponent', () => {
  it('renders an empty host element that names the slot and the target', async () => {
    const fixture = TestBed.createComponent(HostComponent);
    await fixture.whenStable();
    const slot = (fixture.nativeElement as HTMLElement).querySelector('parley-call-slot');
    expect(slot?.getAttribute('data-call-slot')).toBe('popover');
    expect(slot?.getAttribute('data-call-target-kind')).toBe('user');
    expect(slot?.getAttribute('data-call-user-id')).toBe('u42');
    expect(slot?.hasAttribute('data-call-room-id')).toBe(false);
    expect(slot?.childElementCount).toBe(0);
    expect(slot?.textContent).toBe('');
  });

  it('follows changes of slot and target', async () => {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.componentInstance.slot.set('room-header');
    fixture.componentInstance.target.set({ kind: 'room', roomId: 'r7' });
    await fixture.whenStable();
    const slot = (fixture.nativeElement as HTMLElement).querySelector('parley-call-slot');
    expect(slot?.getAttribute('data-call-slot')).toBe('room-header');
    expect(slot?.getAttribute('data-call-target-kind')).toBe('room');
    expect(slot?.getAttribute('data-call-room-id')).toBe('r7');
    expect(slot?.hasAttribute('data-call-user-id')).toBe(false);
  });
});
