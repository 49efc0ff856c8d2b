import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/** What changed; the gateway turns these into `providers.changed` / `admin.changed` pushes. */
export type ConferencingEvent = { type: 'providers.changed' } | { type: 'ice.changed' };

@Injectable()
export class ConferencingEvents implements OnModuleDestroy {
  private readonly subject = new Subject<ConferencingEvent>();
  readonly events$: Observable<ConferencingEvent> = this.subject.asObservable();

  emit(event: ConferencingEvent): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
