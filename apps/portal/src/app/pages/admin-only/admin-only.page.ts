import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

/**
 * Where `/admin` sends a signed-in user who is not an administrator: says why the page did not
 * open and who can help, instead of a silent redirect.
 */
@Component({
  selector: 'parley-admin-only-page',
  imports: [RouterLink],
  template: `
    <section class="refused" data-testid="admin-only" role="alert">
      <h1>Only administrators can open this page</h1>
      <p>
        The Web Conferencing administration (call providers, ICE servers, guests, retention) is for portal
        administrators. Ask one of them to add you to the administrators group if you need it.
      </p>
      <a routerLink="/">Back to the activity stream</a>
    </section>
  `,
  styles: `
    :host {
      display: block;
      padding: 2rem;
    }
    .refused {
      max-width: 36rem;
      padding: 1.25rem 1.5rem;
      border-radius: 12px;
      background: #fef2f2;
      border: 1px solid #fecaca;
      color: #7f1d1d;
    }
    h1 {
      margin: 0 0 0.5rem;
      font-size: 1.15rem;
    }
    a {
      color: #1d4ed8;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminOnlyPage {}
