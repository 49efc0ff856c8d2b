// @ts-check
/* global document */
/**
 * Client half of the Jitsi connector: a self-contained ES module (no imports) that the Parley widget
 * loads with import(). It opens the meeting URL (with its JWT) from joinInfo in an iframe.
 * @import { CallTarget, CallView, ClientCall, ClientConnector, ClientContext } from '@parley/connector-sdk'
 */

/** @type {ClientContext | null} */
let context = null;

/** @type {ClientConnector} */
const connector = {
  init(ctx) {
    context = null;
    if (!ctx || typeof ctx.emit !== 'function' || !ctx.provider) {
      throw new Error('Jitsi: init needs a context with provider and emit');
    }
    context = ctx;
  },

  /** @param {CallTarget} target */
  canCall(target) {
    return context !== null && ['user', 'room', 'space'].includes(target?.kind);
  },

  /**
   * @param {ClientCall} call
   * @param {HTMLElement} container
   * @returns {CallView}
   */
  open(call, container) {
    const ctx = context;
    if (!ctx) throw new Error('Jitsi: not initialised');
    const url = call.joinInfo['url'];
    if (typeof url !== 'string' || !/^https?:\/\//.test(url))
      throw new Error('Jitsi: joinInfo has no meeting URL');
    const frame = document.createElement('iframe');
    frame.src = url;
    frame.title = call.title;
    frame.allow = 'camera; microphone; display-capture; fullscreen; autoplay; clipboard-write';
    frame.style.cssText = 'border:0;width:100%;height:100%';
    frame.dataset['testid'] = 'jitsi-frame';
    container.appendChild(frame);
    ctx.emit({ type: 'joined' });
    return {
      close() {
        frame.remove();
        ctx.emit({ type: 'left' });
      },
    };
  },
};

export default connector;
