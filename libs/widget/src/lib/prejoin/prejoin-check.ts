import { signal } from '@angular/core';
import type { InitialMediaState, MediaPreparingConnector } from '../host/connector-types';
import type { MediaSend } from '../calls/media-access';
import { mediaErrorMessage } from '../calls/media-errors';
import {
  choiceField,
  deviceInUse,
  listDevices,
  NO_DEVICES,
  rememberDevices,
  rememberedDevices,
  type DeviceChoice,
  type DeviceKind,
  type DeviceLists,
} from './devices';
import { startLevelMeter } from './level-meter';
import { playSpeakerTest } from './speaker-test';

/** What the pre-join panel shows. */
export interface PrejoinState {
  /** The camera/microphone preview (handed to the call on Join); null: nothing could start. */
  stream: MediaStream | null;
  /** Getting the media (first time, or after another device was picked). */
  starting: boolean;
  /** What went wrong with the camera or microphone, and what joining will do about it. */
  problem: string | null;
  /** What joining sends: both (undefined), the microphone only, or nothing (receive only). */
  send: MediaSend;
  devices: DeviceLists;
  /** The devices in use (the browser's pick where the user made none). */
  chosen: DeviceChoice;
  /** The speaker test chime is playing. */
  testingSpeaker: boolean;
}

/**
 * The check before joining a group call (the CDK `DialogRef` idea again: one object owns what the
 * panel opened): it gets the camera and microphone through the client half's `prepareMedia` with
 * the remembered devices, meters the microphone, lists and switches devices (remembered in this
 * browser), plays a test sound on the chosen speaker, and on Join hands its stream to the call
 * ({@link take}) — or stops everything ({@link dispose}).
 */
export class PrejoinCheck {
  private readonly stateSignal = signal<PrejoinState>({
    stream: null,
    starting: true,
    problem: null,
    send: undefined,
    devices: NO_DEVICES,
    chosen: {},
    testingSpeaker: false,
  });
  private readonly levelSignal = signal(0);
  private stopMeter: () => void = () => undefined;
  /** Bumped by each acquisition: a slower earlier one is dropped when it lands. */
  private generation = 0;
  private done = false;
  private readonly onDeviceChange = () => void this.refreshDevices();

  readonly state = this.stateSignal.asReadonly();
  /** The microphone level, 0..1 (about ten readings a second). */
  readonly level = this.levelSignal.asReadonly();

  constructor(
    private readonly connector: MediaPreparingConnector,
    /** The mic/camera switches and the remembered devices, read at each acquisition. */
    private readonly media: () => InitialMediaState,
    remembered: DeviceChoice = rememberedDevices(),
  ) {
    this.patch({ chosen: remembered });
  }

  /** Gets the media and the device lists; listens for devices plugged in or out. */
  async start(): Promise<void> {
    globalThis.navigator?.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    await this.acquire();
  }

  /** The user picked a device: remembered; a microphone or camera is started again. */
  async choose(kind: DeviceKind, deviceId: string): Promise<void> {
    if (this.done) return;
    const chosen = { ...this.stateSignal().chosen, [choiceField(kind)]: deviceId || undefined };
    this.patch({ chosen });
    rememberDevices(chosen);
    if (kind !== 'audiooutput') await this.acquire();
  }

  /** The mic/camera switches of the panel reach the preview tracks. */
  applySwitches(muted: boolean, cameraOff: boolean): void {
    const stream = this.stateSignal().stream;
    stream?.getAudioTracks().forEach((track) => (track.enabled = !muted));
    stream?.getVideoTracks().forEach((track) => (track.enabled = !cameraOff));
  }

  async testSpeaker(): Promise<void> {
    if (this.done || this.stateSignal().testingSpeaker) return;
    this.patch({ testingSpeaker: true });
    try {
      await playSpeakerTest(this.stateSignal().chosen.audioOutputId);
    } catch {
      // A speaker that cannot play: the chime is simply not heard.
    } finally {
      this.patch({ testingSpeaker: false });
    }
  }

  /** Join: the stream and what it sends go to the call (not stopped); the check is over. */
  take(): { stream: MediaStream | null; send: MediaSend; devices: DeviceChoice } {
    const { stream, send, chosen } = this.stateSignal();
    this.close();
    return { stream, send, devices: chosen };
  }

  /** Not joining: the camera and microphone are released. */
  dispose(): void {
    const stream = this.stateSignal().stream;
    this.close();
    stream?.getTracks().forEach((track) => track.stop());
  }

  private close(): void {
    this.done = true;
    this.generation++;
    this.stopMeter();
    globalThis.navigator?.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
  }

  /**
   * Camera and microphone with the chosen devices; when that fails, the microphone alone; when
   * that fails too, nothing (the call is then joined receive-only). Each step says why.
   */
  private async acquire(): Promise<void> {
    const generation = ++this.generation;
    this.stopMeter();
    this.stateSignal()
      .stream?.getTracks()
      .forEach((track) => track.stop());
    this.patch({ stream: null, starting: true });
    const { chosen } = this.stateSignal();
    const media: InitialMediaState = { ...this.media(), ...chosen };
    let stream: MediaStream | null = null;
    let send: MediaSend;
    let problem: string | null = null;
    try {
      stream = await this.connector.prepareMedia({ ...media, send: undefined });
    } catch (err) {
      problem = mediaErrorMessage(err);
      try {
        stream = await this.connector.prepareMedia({ ...media, send: 'audio' });
        send = 'audio';
        problem = `${problem} You can join with your microphone only.`;
      } catch {
        send = 'none';
        problem = `${problem} You can join without camera and microphone: you will see and hear the others.`;
      }
    }
    if (generation !== this.generation) {
      stream?.getTracks().forEach((track) => track.stop());
      return;
    }
    const inUse: DeviceChoice = {
      ...chosen,
      audioInputId: deviceInUse(stream, 'audio') ?? chosen.audioInputId,
      videoInputId: deviceInUse(stream, 'video') ?? chosen.videoInputId,
    };
    this.patch({ stream, send, problem, starting: false, chosen: inUse });
    this.applySwitches(!media.micEnabled, !media.cameraEnabled);
    const mic = stream?.getAudioTracks()[0];
    if (mic) this.stopMeter = startLevelMeter(mic, (level) => this.levelSignal.set(level));
    await this.refreshDevices();
  }

  /** Labels are only there once media was granted, so the lists are read after each acquisition. */
  private async refreshDevices(): Promise<void> {
    const devices = await listDevices();
    if (!this.done) this.patch({ devices });
  }

  private patch(changes: Partial<PrejoinState>): void {
    this.stateSignal.update((state) => ({ ...state, ...changes }));
  }
}
