/**
 * The one-to-one call view shared by the bundled client halves (built-in WebRTC, Janus): remote
 * video large, hidden remote audio, mirrored self-view miniature bottom-right, with the
 * data-testids the end-to-end tests use.
 */

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

/** The elements of {@link createOneToOneStage}, and what a one-to-one call does with them. */
export interface OneToOneStage {
  /** `<prefix>`: fills the container. */
  root: HTMLDivElement;
  /** `<prefix>-remote`, `data-testid="remote-video"`: muted, plays `remoteStream`. */
  remoteVideo: HTMLVideoElement;
  /** `<prefix>-audio`, `data-testid="remote-audio"`: hidden, plays `remoteAudioStream`. */
  remoteAudio: HTMLAudioElement;
  /** `<prefix>-self`, `data-testid="self-view"`: mirrored miniature bottom-right, muted. */
  selfView: HTMLVideoElement;
  /** Shows the video of the local stream in the self-view. */
  showSelf(stream: MediaStream): void;
  /** Hides the self-view (own camera off) or shows it again. */
  hideSelf(hidden: boolean): void;
  /** Plays a remote track: a video one in the large video, an audio one in the hidden audio. */
  addRemote(track: MediaStreamTrack): void;
  /** Stops playing a remote track. */
  removeRemote(track: MediaStreamTrack): void;
  /** Stops the remote tracks, detaches every stream and removes the view. */
  close(): void;
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
  return {
    root,
    remoteVideo,
    remoteAudio,
    selfView,
    showSelf(stream) {
      selfView.srcObject = new MediaStream(stream.getVideoTracks());
      void selfView.play().catch(() => undefined);
    },
    hideSelf(hidden) {
      selfView.style.visibility = hidden ? 'hidden' : 'visible';
    },
    addRemote(track) {
      const [stream, element] =
        track.kind === 'video' ? [remoteStream, remoteVideo] : [remoteAudioStream, remoteAudio];
      stream.addTrack(track);
      element.srcObject = stream;
      void element.play().catch(() => undefined);
    },
    removeRemote(track) {
      remoteStream.removeTrack(track);
      remoteAudioStream.removeTrack(track);
    },
    close() {
      remoteStream.getTracks().forEach((t) => t.stop());
      remoteAudioStream.getTracks().forEach((t) => t.stop());
      remoteVideo.srcObject = null;
      remoteAudio.srcObject = null;
      selfView.srcObject = null;
      root.remove();
    },
  };
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
