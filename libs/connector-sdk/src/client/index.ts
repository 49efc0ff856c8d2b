/**
 * `@parley/connector-sdk/client`: small browser-side helpers for a connector's client half, for
 * halves written in TypeScript and bundled (esbuild inlines them; nothing here touches Node or the
 * server-side SDK). Used by the built-in WebRTC connector and the Janus plug-in:
 *
 * - {@link assertWebrtc}, {@link acquireMedia}: the browser can call, and the local mic + camera;
 * - {@link requireContext}, {@link startView}: the checks of `init` and the start of `open`;
 * - {@link createOneToOneStage}: the one-to-one call view (remote video large, hidden remote audio,
 *   mirrored self-view miniature bottom-right), with the data-testids the end-to-end tests use.
 */
import type { CallView, ClientContext } from '../lib/client';

/** The client-half contract, for halves that import only this browser-safe entry. */
export type { CallView, ClientCall, ClientConnector, ClientContext, ClientEvent } from '../lib/client';

/** Which of mic and camera are on when the call starts. */
export interface InitialMedia {
  micEnabled: boolean;
  cameraEnabled: boolean;
}

/** Throws when this browser cannot make WebRTC calls (checked when a call starts, not at init). */
export function assertWebrtc(): void {
  if (typeof RTCPeerConnection === 'undefined' || !globalThis.navigator?.mediaDevices?.getUserMedia) {
    throw new Error('This browser cannot make WebRTC calls (or the page is not served over HTTPS).');
  }
}

/** Camera and microphone, both always requested (so either can be switched on later). */
export async function acquireMedia(media: InitialMedia): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
  });
  stream.getAudioTracks().forEach((t) => (t.enabled = media.micEnabled));
  stream.getVideoTracks().forEach((t) => (t.enabled = media.cameraEnabled));
  return stream;
}

/** `init`'s check: the context, or an error when the widget gave no user or provider. */
export function requireContext(ctx: ClientContext): ClientContext {
  if (!ctx?.user?.id || !ctx.provider?.type) throw new Error('the widget gave no user or provider');
  return ctx;
}

/** Starts a view; if that fails, closes it (leaving nothing behind) and rethrows. */
export async function startView<V extends CallView & { start(): Promise<void> }>(view: V): Promise<V> {
  try {
    await view.start();
  } catch (err) {
    await view.close();
    throw err;
  }
  return view;
}

/** An element with a class and inline styles. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  style: Partial<CSSStyleDeclaration>,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  Object.assign(node.style, style);
  return node;
}

/** The elements of {@link createOneToOneStage}. */
export interface OneToOneStage {
  /** `<prefix>`: fills the container. */
  root: HTMLDivElement;
  /** `<prefix>-remote`, `data-testid="remote-video"`: muted, plays `remoteStream`. */
  remoteVideo: HTMLVideoElement;
  /** `<prefix>-audio`, `data-testid="remote-audio"`: hidden, plays `remoteAudioStream`. */
  remoteAudio: HTMLAudioElement;
  /** `<prefix>-self`, `data-testid="self-view"`: mirrored miniature bottom-right, muted. */
  selfView: HTMLVideoElement;
}

/**
 * Builds the one-to-one view into `container`: remote video large, remote audio hidden, own
 * camera as a mirrored miniature bottom-right. Class names start with `prefix` (e.g.
 * `parley-janus`); the remote elements play the given streams.
 */
export function createOneToOneStage(
  container: HTMLElement,
  prefix: string,
  remoteStream: MediaStream,
  remoteAudioStream: MediaStream,
): OneToOneStage {
  const root = el('div', prefix, {
    position: 'absolute',
    inset: '0',
    background: '#0b1220',
    overflow: 'hidden',
  });
  const remoteVideo = media('video', `${prefix}-remote`, 'remote-video', {
    width: '100%',
    height: '100%',
    objectFit: 'contain',
    background: '#0b1220',
  });
  remoteVideo.playsInline = true;
  remoteVideo.muted = true;
  remoteVideo.srcObject = remoteStream;
  const remoteAudio = media('audio', `${prefix}-audio`, 'remote-audio', { display: 'none' });
  remoteAudio.srcObject = remoteAudioStream;
  const selfView = media('video', `${prefix}-self`, 'self-view', {
    position: 'absolute',
    right: '12px',
    bottom: '12px',
    width: '24%',
    maxWidth: '200px',
    aspectRatio: '4 / 3',
    objectFit: 'cover',
    borderRadius: '10px',
    border: '2px solid rgb(255 255 255 / 70%)',
    boxShadow: '0 6px 18px rgb(0 0 0 / 45%)',
    transform: 'scaleX(-1)',
    background: '#1e293b',
  });
  selfView.muted = true;
  selfView.playsInline = true;
  root.append(remoteVideo, remoteAudio, selfView);
  container.append(root);
  return { root, remoteVideo, remoteAudio, selfView };
}

/** An autoplaying `<video>` or `<audio>` with its data-testid. */
function media<K extends 'video' | 'audio'>(
  tag: K,
  className: string,
  testId: string,
  style: Partial<CSSStyleDeclaration>,
): HTMLElementTagNameMap[K] {
  const node = el(tag, className, style);
  node.dataset['testid'] = testId;
  node.autoplay = true;
  return node;
}
