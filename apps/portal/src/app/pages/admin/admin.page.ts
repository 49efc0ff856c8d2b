import { ChangeDetectionStrategy, Component } from '@angular/core';

/** `/admin` (administrators only, see `adminGuard`): placeholder for the conferencing settings. */
@Component({
  selector: 'parley-admin-page',
  template: `
    <div class="page">
      <section class="card panel" data-testid="admin-page">
        <h1>Web Conferencing administration</h1>
        <p class="muted">
          Coming soon: choose and configure the call providers (built-in SFU, Jitsi, external services), set
          who may start calls, and review call activity.
        </p>
      </section>
    </div>
  `,
  styles: `
    .page {
      max-width: 760px;
      margin: 0 auto;
      padding: 1.5rem 1.25rem;
    }
    .panel {
      padding: 1.5rem;
    }
    h1 {
      font-size: 1.4rem;
      margin-bottom: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminPage {}
