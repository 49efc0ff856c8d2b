import { Injectable, inject, signal } from '@angular/core';
import { SessionService } from './session.service';

/** Which user the docked mini chat window talks to (one window at a time). */
@Injectable({ providedIn: 'root' })
export class MiniChatService {
  private readonly userIdSignal = signal<string | null>(null);

  readonly userId = this.userIdSignal.asReadonly();

  constructor() {
    inject(SessionService).signedOut$.subscribe(() => this.close());
  }

  open(userId: string): void {
    this.userIdSignal.set(userId);
  }

  close(): void {
    this.userIdSignal.set(null);
  }
}
