import { Injectable } from '@nestjs/common';

/**
 * What the call service asks of a provider's media layer for group calls: enforce host actions on
 * the media itself and answer `/call stats`. The app registers one per provider that has it (the
 * built-in WebRTC connector); without one, host actions are only pushed to the clients.
 */
export interface CallMediaControl {
  /** Pause the user's microphone producers (host mute). */
  muteUser(callId: string, userId: string): void | Promise<void>;
  /** Close the user's screen-share producers. */
  stopScreenShare(callId: string, userId: string): void | Promise<void>;
  /** The user's transports/producers/consumers with their stats, as JSON. */
  stats(callId: string, userId: string): Promise<Record<string, unknown>>;
}

@Injectable()
export class CallMediaControls {
  private readonly controls = new Map<string, CallMediaControl>();

  register(providerType: string, control: CallMediaControl): void {
    this.controls.set(providerType, control);
  }

  get(providerType: string): CallMediaControl | null {
    return this.controls.get(providerType) ?? null;
  }
}
