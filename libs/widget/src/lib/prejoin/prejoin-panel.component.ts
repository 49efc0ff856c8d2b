import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { CallService } from '../calls/call.service';
import { IconComponent } from '../icons/icon.component';
import { choiceField, type DeviceKind } from './devices';
import type { PrejoinCheck } from './prejoin-check';

const PICKERS: readonly { kind: DeviceKind; label: string; testid: string }[] = [
  { kind: 'audioinput', label: 'Microphone', testid: 'prejoin-mic' },
  { kind: 'videoinput', label: 'Camera', testid: 'prejoin-camera-device' },
  { kind: 'audiooutput', label: 'Speaker', testid: 'prejoin-speaker' },
];

/**
 * The pre-join check of a group call window (docs/widget.md "Before joining"): the own camera,
 * a live microphone level, the microphone/camera/speaker pickers, a speaker test, the mic and
 * camera switches the call starts with, and Join now / Cancel. What it shows lives in the
 * session's {@link PrejoinCheck}; this component only renders it and forwards the clicks.
 */
@Component({
  selector: 'parley-prejoin-panel',
  imports: [IconComponent],
  templateUrl: './prejoin-panel.component.html',
  styleUrl: './prejoin-panel.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrejoinPanelComponent {
  protected readonly calls = inject(CallService);
  readonly check = input.required<PrejoinCheck>();

  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');
  protected readonly state = computed(() => this.check().state());
  /** The level as a percentage, in steps of 5 (a meter that redraws at every reading is noise). */
  protected readonly levelPercent = computed(() => Math.round(this.check().level() * 20) * 5);
  protected readonly hasVideo = computed(() => (this.state().stream?.getVideoTracks().length ?? 0) > 0);
  protected readonly hasAudio = computed(() => (this.state().stream?.getAudioTracks().length ?? 0) > 0);
  /** The device pickers with something to pick from: microphone, camera, speaker. */
  protected readonly pickers = computed(() => {
    const { devices, chosen } = this.state();
    return PICKERS.filter((picker) => devices[picker.kind].length > 0).map((picker) => ({
      ...picker,
      options: devices[picker.kind],
      selected: chosen[choiceField(picker.kind)],
    }));
  });
  protected readonly joinLabel = computed(() => {
    const state = this.state();
    if (state.starting) return 'Starting…';
    if (state.send === 'none') return 'Join without camera and microphone';
    if (state.send === 'audio') return 'Join with audio only';
    return 'Join now';
  });

  constructor() {
    effect(() => {
      const video = this.video()?.nativeElement;
      const stream = this.state().stream;
      if (!video || video.srcObject === stream) return;
      video.srcObject = stream;
      if (stream) void video.play().catch(() => undefined);
    });
  }

  protected choose(kind: DeviceKind, event: Event): void {
    void this.check().choose(kind, (event.target as HTMLSelectElement).value);
  }

  protected toggleMute(): void {
    void this.calls.setMuted(!this.calls.muted());
  }

  protected toggleCamera(): void {
    void this.calls.setCameraOff(!this.calls.cameraOff());
  }

  protected testSpeaker(): void {
    void this.check().testSpeaker();
  }
}
