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
import { DatePipe } from '@angular/common';
import { CallChatComponent } from '../call-chat/call-chat.component';
import { CALL_REACTIONS, CallService } from '../calls/call.service';
import { ParticipantListComponent } from '../group-call/participant-list.component';
import { IconComponent } from '../icons/icon.component';

/**
 * The call window (an overlay over the page): the client half renders the media (remote video
 * large, self-view miniature) into `.media`; this component adds the caller/callee name and
 * status, the own camera while it rings, the other side's mute/camera state, and the controls:
 * mute, camera, hang up (Cancel while it rings), fullscreen. Mount it once per page.
 */
@Component({
  selector: 'parley-call-window',
  imports: [CallChatComponent, DatePipe, IconComponent, ParticipantListComponent],
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
      !session.group &&
      (session.phase === 'starting' || session.phase === 'ringing')
    );
  });
  protected readonly status = computed(() => {
    const session = this.session();
    if (!session) return '';
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
