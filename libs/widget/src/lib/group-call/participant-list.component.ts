import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { CallParticipant } from '@parley/protocol';
import { MenuTriggerDirective } from '../call-button/menu-trigger.directive';
import { CallService } from '../calls/call.service';
import { ParleyWidgetHost } from '../host/widget-host';
import { IconComponent } from '../icons/icon.component';

export interface ParticipantRow {
  participant: CallParticipant;
  name: string;
  self: boolean;
  host: boolean;
  speaking: boolean;
  hand: boolean;
}

/**
 * The participants of a group call: name, host badge, speaking indicator, muted mic, raised hand,
 * "reconnecting"; hands first (in the order raised), then by name. The host gets a menu per
 * participant: mute, stop screen share, lower hand, remove, make host.
 */
@Component({
  selector: 'parley-participant-list',
  imports: [IconComponent, MenuTriggerDirective],
  templateUrl: './participant-list.component.html',
  styleUrl: './participant-list.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ParticipantListComponent {
  protected readonly calls = inject(CallService);
  private readonly host = inject(ParleyWidgetHost);
  /** The participant whose host menu is open. */
  protected readonly menuFor = signal<string | null>(null);

  protected readonly rows = computed<ParticipantRow[]>(() => {
    const call = this.calls.session()?.call;
    const me = this.host.me()?.id;
    const speaking = this.calls.speaking();
    const users = this.host.users();
    if (!call) return [];
    return call.participants
      .filter((p) => p.state === 'joined')
      .map((participant) => ({
        participant,
        name: users.get(participant.userId)?.displayName ?? participant.guest?.displayName ?? 'Participant',
        self: participant.userId === me,
        host: participant.userId === call.hostId,
        speaking: speaking.has(participant.userId),
        hand: !!participant.handRaisedAt,
      }))
      .sort((a, b) => {
        if (a.hand !== b.hand) return a.hand ? -1 : 1;
        if (a.hand && b.hand)
          return (a.participant.handRaisedAt ?? '').localeCompare(b.participant.handRaisedAt ?? '');
        return a.name.localeCompare(b.name);
      });
  });

  protected toggleMenu(userId: string): void {
    this.menuFor.update((current) => (current === userId ? null : userId));
  }

  protected async run(action: (userId: string) => Promise<void>, userId: string): Promise<void> {
    this.menuFor.set(null);
    await action(userId);
  }

  protected readonly mute = (userId: string) => this.calls.moderatorMute(userId);
  protected readonly stopScreen = (userId: string) => this.calls.moderatorStopScreenShare(userId);
  protected readonly lowerHand = (userId: string) => this.calls.moderatorLowerHand(userId);
  protected readonly remove = (userId: string) => this.calls.moderatorRemove(userId);
  protected readonly makeModerator = (userId: string) => this.calls.makeModerator(userId);
}
