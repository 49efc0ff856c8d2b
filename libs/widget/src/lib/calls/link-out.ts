import type { LinkOutMode, ProviderDescriptor } from '@parley/protocol';
import type { WidgetCallView, WidgetClientCall } from '../host/connector-types';

/** The link-out mode of a provider (`ProviderDescriptor.linkOut`), or null when its client half renders calls. */
export function linkOutOf(providers: readonly ProviderDescriptor[], type: string): LinkOutMode | null {
  return providers.find((p) => p.type === type)?.linkOut ?? null;
}

/** The meeting page of a link-out call: `joinInfo.url`, an http(s) URL (else the call cannot open). */
export function meetingUrl(call: WidgetClientCall): string {
  const url = call.joinInfo['url'];
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) return url;
  throw new Error('The call provider sent no meeting page to open.');
}

/**
 * The view of a link-out call, rendered by the widget instead of the client half: the provider's
 * meeting page inside the call window (`frame`), or in a new tab (`tab`, with a link in the
 * window in case the browser blocked it). Parley's call window stays the call's handle (hang up,
 * state, history); closing the view removes what it added.
 */
export function openLinkOut(
  call: WidgetClientCall,
  container: HTMLElement,
  mode: LinkOutMode,
  providerTitle: string,
  openTab: (url: string) => unknown = (url) => window.open(url, '_blank', 'noopener'),
): WidgetCallView {
  const url = meetingUrl(call);
  const doc = container.ownerDocument;
  const panel = doc.createElement('div');
  panel.className = 'parley-link-out';
  panel.dataset['testid'] = 'call-link-out';
  panel.dataset['mode'] = mode;
  panel.setAttribute('style', 'width:100%;height:100%;display:flex;flex-direction:column;');
  if (mode === 'frame') {
    const frame = doc.createElement('iframe');
    frame.dataset['testid'] = 'call-link-out-frame';
    frame.src = url;
    frame.title = `${providerTitle} meeting`;
    frame.allow = 'camera; microphone; display-capture; fullscreen; autoplay';
    frame.setAttribute('style', 'flex:1;width:100%;border:0;');
    panel.appendChild(frame);
  } else {
    const text = doc.createElement('p');
    text.textContent = `The call is open in ${providerTitle}, in another tab.`;
    text.setAttribute('style', 'margin:auto auto 0.5rem;color:#fff;');
    const link = doc.createElement('a');
    link.dataset['testid'] = 'call-link-out-open';
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = `Open the meeting in ${providerTitle}`;
    link.setAttribute('style', 'margin:0 auto auto;color:#fff;');
    panel.append(text, link);
    openTab(url);
  }
  container.appendChild(panel);
  call.report({ type: 'joined' });
  return {
    close() {
      panel.remove();
    },
  };
}
