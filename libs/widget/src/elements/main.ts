/**
 * The widget as custom elements, for portals that are not Angular. One script tag:
 *
 *   <script type="module" src="https://parley.example.com/widget/main.js"></script>
 *   <parley-call-button user-id="…"></parley-call-button>
 *   <parley-incoming-call></parley-incoming-call>
 *   <parley-call-window></parley-call-window>
 *
 * See docs/widget.md.
 */
import { createApplication } from '@angular/platform-browser';
import type { CallTarget, PreferenceContext } from '@parley/protocol';
import { CallButtonComponent } from '../lib/call-button/call-button.component';
import { CallHistoryComponent } from '../lib/call-history/call-history.component';
import { CallWindowComponent } from '../lib/call-window/call-window.component';
import { IncomingCallComponent } from '../lib/incoming-call/incoming-call.component';
import { provideParleyWidget } from '../lib/provide';
import { defineParleyElement } from './define-element';
import { StandaloneHost } from './standalone-host';

function targetOf(element: HTMLElement): CallTarget {
  const userId = element.getAttribute('user-id');
  if (userId) return { kind: 'user', userId };
  const kind = element.getAttribute('room-kind') === 'space' ? 'space' : 'room';
  return { kind, roomId: element.getAttribute('room-id') ?? '' };
}

createApplication({ providers: [provideParleyWidget(StandaloneHost)] })
  .then((app) => {
    defineParleyElement(app, {
      tag: 'parley-call-button',
      component: CallButtonComponent,
      attributes: ['user-id', 'room-id', 'room-kind', 'context'],
      toInputs: (el) => ({
        target: targetOf(el),
        context: (el.getAttribute('context') ?? 'user') as PreferenceContext,
      }),
      outputs: ['called'],
    });
    defineParleyElement(app, {
      tag: 'parley-incoming-call',
      component: IncomingCallComponent,
      attributes: [],
      toInputs: () => ({}),
    });
    defineParleyElement(app, {
      tag: 'parley-call-window',
      component: CallWindowComponent,
      attributes: [],
      toInputs: () => ({}),
    });
    defineParleyElement(app, {
      tag: 'parley-call-history',
      component: CallHistoryComponent,
      attributes: ['user-id', 'limit'],
      toInputs: (el) => ({
        userId: el.getAttribute('user-id'),
        limit: Number(el.getAttribute('limit') ?? 20) || 20,
      }),
    });
  })
  .catch((err: unknown) => console.error('[parley] widget elements failed to start', err));
