// @ts-check
/* global document -- a browser module */
// The client half of a link-out provider: it only says which targets get a call button. Parley's
// widget opens the meeting page itself (`joinInfo.url`, in a new tab: `linkOut: 'tab'`), so
// `open` is never called for this provider; it is here because every client half has one.
/** @import { ClientConnector, ClientContext } from '@parley/connector-sdk' */

/** @type {ClientContext | null} */
let context = null;

/** @type {ClientConnector} */
const connector = {
  init(ctx) {
    context = null;
    if (!ctx || !ctx.provider) throw new Error('BigBlueButton: init needs a context');
    context = ctx;
  },
  canCall(target) {
    return context !== null && (target?.kind === 'user' || target?.kind === 'room');
  },
  open(call, container) {
    // Only reached by a host without link-out mode: a link to the meeting page.
    const link = document.createElement('a');
    link.href = String(call.joinInfo['url']);
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Open the meeting in BigBlueButton';
    container.appendChild(link);
    context?.emit({ type: 'joined' });
    return {
      close() {
        link.remove();
        context?.emit({ type: 'left' });
      },
    };
  },
};

export default connector;
