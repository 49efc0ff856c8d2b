import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { MenuTriggerDirective } from '../call-button/menu-trigger.directive';
import { CallChatComponent } from '../call-chat/call-chat.component';
import { CALL_REACTIONS, CallService } from '../calls/call.service';
import { ParticipantListComponent } from '../group-call/participant-list.component';
import { IconComponent, type IconName } from '../icons/icon.component';
import { CallLobbyComponent } from '../lobby/call-lobby.component';
import { PrejoinPanelComponent } from '../prejoin/prejoin-panel.component';

/** A button of the control bar: class `ctl` (and `classes`), an icon (with its label) or a text. */
interface CallControl {
  readonly testid: string;
  readonly classes?: string;
  readonly icon?: IconName;
  readonly text?: string;
  /** `aria-label` and `title` of an icon button. */
  readonly label?: string;
  readonly title?: string;
  /** `aria-pressed` of a toggle. */
  readonly pressed?: boolean;
  readonly disabled?: boolean;
  /** `data-layout` of the layout switch. */
  readonly layout?: string;
  /** The chat toggle's badge: messages that came while the chat was closed. */
  readonly unread?: number;
  readonly run: () => unknown;
}

/** The `aria-label`, `title` and icon of an icon button, by what the button does. */
type Face = readonly [label: string, title: string | undefined, icon: IconName];
const FACES = {
  mute: ['Mute microphone', 'Mute', 'mic'],
  unmute: ['Unmute microphone', 'Unmute', 'mic-off'],
  cameraOff: ['Turn camera off', 'Camera off', 'camera'],
  cameraOn: ['Turn camera on', 'Camera on', 'camera-off'],
  raiseHand: ['Raise hand', 'Raise hand', 'hand'],
  lowerHand: ['Lower hand', 'Lower hand', 'hand'],
  shareScreen: ['Share your screen', 'Share screen', 'screen'],
  stopSharing: ['Stop sharing your screen', 'Stop sharing', 'screen'],
  gridLayout: ['Grid layout', 'Grid view', 'grid'],
  speakerLayout: ['Active speaker layout', 'Speaker view', 'speaker'],
  chat: ['Chat', 'Chat', 'chat'],
  participants: ['Participants', 'Participants', 'users'],
  record: ['Record the call', 'Record', 'record'],
  stopRecording: ['Stop recording', 'Stop recording', 'record-stop'],
  hangUp: ['Hang up', 'Hang up', 'phone-off'],
  leave: ['Leave the call', 'Leave', 'phone-off'],
  fullScreen: ['Full screen', undefined, 'maximize'],
  exitFullScreen: ['Exit full screen', undefined, 'minimize'],
} satisfies Record<string, Face>;

function iconButton(testid: string, [label, title, icon]: Face, run: () => unknown): CallControl {
  return { testid, label, title, icon, run };
}

/** An icon button that toggles (`aria-pressed`). */
function toggle(testid: string, pressed: boolean, face: Face, run: () => unknown): CallControl {
  return { ...iconButton(testid, face, run), pressed };
}

function textButton(testid: string, classes: string, text: string, run: () => unknown): CallControl {
  return { testid, classes, text, run };
}

function present(controls: readonly (CallControl | false)[]): CallControl[] {
  return controls.filter((control) => control !== false);
}

/**
 * The call window (an overlay over the page): the client half renders the media (remote video
 * large, self-view miniature) into `.media`; this component adds the caller/callee name and
 * status, the own camera while it rings, the other side's mute/camera state, and the controls:
 * mute, camera, hang up (Cancel while it rings), fullscreen. Mount it once per page.
 */
@Component({
  selector: 'parley-call-window',
  imports: [
    CallChatComponent,
    CallLobbyComponent,
    DatePipe,
    PrejoinPanelComponent,
    IconComponent,
    MenuTriggerDirective,
    NgTemplateOutlet,
    ParticipantListComponent,
  ],
  templateUrl: './call-window.component.html',
  styleUrl: './call-window.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:fullscreenchange)': 'syncFullscreen()' },
})
export class CallWindowComponent {
  protected readonly calls = inject(CallService);
  protected readonly session = this.calls.session;
  private readonly media = viewChild<ElementRef<HTMLElement>>('media');
  private readonly frame = viewChild<ElementRef<HTMLElement>>('frame');
  private readonly previewVideo = viewChild<ElementRef<HTMLVideoElement>>('preview');
  private readonly now = signal(Date.now());
  protected readonly fullscreen = signal(false);
  /** Group calls: the participant list beside the tiles, the reactions menu. */
  protected readonly showParticipants = signal(true);
  protected readonly reactMenu = signal(false);
  /** Group calls: the chat panel (the call's thread in its room) and what arrived while it was closed. */
  protected readonly showChat = signal(false);
  protected readonly chatUnread = signal(0);
  protected readonly chatThread = computed(() => {
    const session = this.session();
    const call = session?.call;
    if (!session?.group || !call?.threadId || call.target.kind === 'user') return null;
    // The call's chat is a thread of the room: guests do not see the room's chat (docs/guests.md).
    if (this.calls.isGuest()) return null;
    return { roomId: call.target.roomId, threadId: call.threadId };
  });
  protected readonly reactionChoices = CALL_REACTIONS;
  protected readonly joinedCount = computed(
    () => this.session()?.call?.participants.filter((p) => p.state === 'joined').length ?? 0,
  );

  /** Time since the recording in progress started (`mm:ss`). */
  protected readonly recordingElapsed = computed(() => {
    const rec = this.calls.recording();
    return rec ? formatDuration(this.now() - Date.parse(rec.startedAt)) : '';
  });

  protected readonly ringingOut = computed(() => {
    const session = this.session();
    return (
      session?.direction === 'outgoing' &&
      !session.blocked &&
      !session.group &&
      (session.phase === 'starting' || session.phase === 'ringing')
    );
  });

  /**
   * The buttons of the control bar, in order, around the reactions menu of a group call: mute,
   * camera (and the hand) before it; the group call's tools, hang up (Cancel while it rings) and
   * fullscreen after it. Close once the call has ended.
   */
  protected readonly controls = computed(() => {
    const session = this.session();
    const calls = this.calls;
    if (!session) return { beforeReactions: [], afterReactions: [], reactions: false };
    if (session.phase === 'ended') {
      const close = textButton('call-close', 'wide', 'Close', () => calls.dismiss());
      return { beforeReactions: [], afterReactions: [close], reactions: false };
    }
    // Camera/microphone blocked: the message's own choices are the only way on.
    if (session.blocked) return { beforeReactions: [], afterReactions: [], reactions: false };
    // The pre-join check has its own switches, Join and Cancel.
    if (calls.prejoin()) return { beforeReactions: [], afterReactions: [], reactions: false };
    const sendsAudio = session.send !== 'none';
    const sendsVideo = !session.send;
    const group = session.group;
    const ringingOut = this.ringingOut();
    const muted = calls.muted();
    const cameraOff = calls.cameraOff();
    const hand = calls.handRaised();
    const fullscreen = this.fullscreen();
    const can = calls.capabilities();
    const beforeReactions = present([
      can.has('audio') && {
        ...toggle('call-mute', muted, muted ? FACES.unmute : FACES.mute, () => this.toggleMute()),
        disabled: !sendsAudio,
      },
      can.has('video') && {
        ...toggle('call-camera', cameraOff, cameraOff ? FACES.cameraOn : FACES.cameraOff, () =>
          this.toggleCamera(),
        ),
        disabled: !sendsVideo,
      },
      group &&
        can.has('raiseHand') &&
        toggle('call-hand', hand, hand ? FACES.lowerHand : FACES.raiseHand, () => calls.setHand(!hand)),
    ]);
    const afterReactions = present([
      ...(group ? this.groupControls() : [!ringingOut && this.screenControl()]),
      ringingOut
        ? textButton('call-cancel', 'hangup wide', 'Cancel', () => calls.hangup())
        : {
            ...iconButton('call-hangup', group ? FACES.leave : FACES.hangUp, () => calls.hangup()),
            classes: 'hangup',
          },
      !ringingOut &&
        group &&
        calls.isModerator() &&
        textButton('call-end-all', 'hangup wide', 'End for all', () => calls.endForAll()),
      toggle('call-fullscreen', fullscreen, fullscreen ? FACES.exitFullScreen : FACES.fullScreen, () =>
        this.toggleFullscreen(),
      ),
    ]);
    return { beforeReactions, afterReactions, reactions: group && can.has('reactions') };
  });

  protected readonly status = computed(() => {
    const session = this.session();
    if (!session) return '';
    if (session.blocked && session.phase !== 'ended') return 'Camera or microphone unavailable';
    if (this.calls.prejoin() && session.phase !== 'ended') return 'Check your camera and microphone';
    switch (session.phase) {
      case 'starting':
      case 'ringing':
        return session.group ? 'Starting the call…' : `Calling ${session.peerName}…`;
      case 'connecting':
        return 'Connecting…';
      case 'active':
        return formatDuration(session.activeSince ? this.now() - session.activeSince : 0);
      case 'ended':
        return session.endMessage ?? 'Call ended';
    }
  });

  constructor() {
    effect(() => this.calls.attachContainer(this.media()?.nativeElement ?? null));
    effect(() => {
      const video = this.previewVideo()?.nativeElement;
      const stream = this.session()?.preview ?? null;
      if (video && video.srcObject !== stream) {
        video.srcObject = stream;
        if (stream) void video.play().catch(() => undefined);
      }
    });
    const timer = setInterval(() => {
      if (this.session()?.phase === 'active') this.now.set(Date.now());
    }, 1000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      this.calls.attachContainer(null);
    });
  }

  /**
   * A group call's buttons after the reactions menu, up to "Mute all": screen share, chat and
   * "Mute all" only when the provider declares `screenShare`, `chat`, `audio`; no layout switch in
   * link-out mode (the provider's page lays itself out).
   */
  private groupControls(): (CallControl | false)[] {
    const calls = this.calls;
    const can = calls.capabilities();
    const layout = calls.layout();
    const grid = layout === 'grid';
    const chatOpen = this.showChat();
    const unread = this.chatUnread();
    const listShown = this.showParticipants();
    const recording = calls.recording() !== null;
    return [
      this.screenControl(),
      !calls.linkOut() && {
        ...iconButton('call-layout', grid ? FACES.speakerLayout : FACES.gridLayout, () =>
          calls.setLayout(grid ? 'speaker' : 'grid'),
        ),
        layout,
      },
      can.has('chat') &&
        this.chatThread() !== null && {
          ...toggle('call-chat-toggle', chatOpen, FACES.chat, () => this.showChat.set(!chatOpen)),
          classes: 'chat-toggle',
          label: unread ? `Chat, ${unread} new` : 'Chat',
          unread: chatOpen ? 0 : unread,
        },
      toggle('call-participants-toggle', listShown, FACES.participants, () =>
        this.showParticipants.set(!listShown),
      ),
      calls.canRecord() && {
        ...toggle('call-record', recording, recording ? FACES.stopRecording : FACES.record, () =>
          calls.toggleRecording(),
        ),
        classes: recording ? 'recording' : undefined,
        disabled: calls.recordingPending(),
      },
      can.has('audio') &&
        calls.isModerator() &&
        textButton('call-mute-all', 'wide', 'Mute all', () => calls.moderatorMute()),
    ];
  }

  /** Screen share (group and one-to-one): when the provider declares it and the admins allow it. */
  private screenControl(): CallControl | false {
    const calls = this.calls;
    const sharing = calls.screenSharing();
    return (
      calls.capabilities().has('screenShare') &&
      calls.screenShareAllowed() &&
      toggle('call-screen', sharing, sharing ? FACES.stopSharing : FACES.shareScreen, () =>
        calls.setScreenSharing(!sharing),
      )
    );
  }

  protected react(emoji: string): void {
    this.reactMenu.set(false);
    void this.calls.react(emoji);
  }

  protected toggleMute(): void {
    void this.calls.setMuted(!this.calls.muted());
  }

  protected toggleCamera(): void {
    void this.calls.setCameraOff(!this.calls.cameraOff());
  }

  protected async toggleFullscreen(): Promise<void> {
    const frame = this.frame()?.nativeElement;
    if (!frame) return;
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await frame.requestFullscreen();
    } catch {
      // Fullscreen refused (iframe without allow="fullscreen"): the window stays as it is.
    }
    this.syncFullscreen();
  }

  protected syncFullscreen(): void {
    this.fullscreen.set(
      document.fullscreenElement !== null && document.fullscreenElement === this.frame()?.nativeElement,
    );
  }
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
