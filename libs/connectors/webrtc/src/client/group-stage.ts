/**
 * The group call view of the WebRTC client half: one tile per participant (camera video, audio,
 * name, speaking ring, hand), one tile per screen share, in a grid or an active-speaker layout.
 * Receivers ask the SFU for the simulcast layer that fits each tile (`onTileSize`).
 */
import { playOn, type GroupLayout } from '@parley/connector-sdk/client';
import type { WebrtcSource } from '@parley/protocol';
import type { CallStage } from './call-stage';
import type { CallQuality } from './quality';
import { showQuality } from './quality-badge';

interface Tile {
  userId: string;
  screen: boolean;
  root: HTMLElement;
  video: HTMLVideoElement;
  audio: HTMLAudioElement | null;
  videoStream: MediaStream;
  audioStream: MediaStream;
  label: HTMLElement;
}

/** Size of a tile's video in CSS pixels, reported to pick a simulcast layer. */
export type TileSizeListener = (userId: string, source: WebrtcSource, height: number) => void;

export class GroupStage implements CallStage {
  readonly root: HTMLElement;
  private readonly tiles = new Map<string, Tile>();
  private readonly observer: ResizeObserver | null;
  private layout: GroupLayout = 'grid';
  private speaker: string | null = null;

  constructor(
    container: HTMLElement,
    private readonly selfId: string,
    private readonly nameOf: (userId: string) => string,
    private readonly onTileSize: TileSizeListener,
    /** The speaker picked before joining (`InitialMediaState.audioOutputId`). */
    private readonly audioOutputId?: string,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'parley-webrtc parley-webrtc-group';
    this.root.dataset['testid'] = 'call-grid';
    this.root.dataset['layout'] = this.layout;
    this.root.setAttribute('role', 'list');
    this.root.setAttribute('aria-label', 'Participants');
    Object.assign(this.root.style, {
      position: 'absolute',
      inset: '0',
      background: '#0b1220',
      display: 'grid',
      gap: '6px',
      padding: '6px',
      overflow: 'hidden',
    } satisfies Partial<CSSStyleDeclaration>);
    this.observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            for (const entry of entries) {
              const node = entry.target as HTMLElement;
              const userId = node.dataset['userId'];
              if (!userId || userId === this.selfId) continue;
              const source: WebrtcSource = node.dataset['screen'] === 'true' ? 'screen' : 'camera';
              this.onTileSize(userId, source, Math.round(entry.contentRect.height));
            }
          });
    container.append(this.root);
  }

  /** The own tile (camera preview, mirrored, never any audio). */
  setSelf(stream: MediaStream): void {
    const tile = this.tile(this.selfId, false);
    tile.video.style.transform = 'scaleX(-1)';
    tile.video.dataset['testid'] = 'self-view';
    for (const track of stream.getVideoTracks()) tile.videoStream.addTrack(track);
    tile.video.srcObject = tile.videoStream;
    void tile.video.play().catch(() => undefined);
  }

  /** The own screen, shown as a tile too (so the sharer sees what the others see). */
  setOwnScreen(track: MediaStreamTrack | null): void {
    const key = tileKey(this.selfId, true);
    if (!track) {
      this.removeTile(key);
      return;
    }
    const tile = this.tile(this.selfId, true);
    tile.videoStream.getTracks().forEach((t) => tile.videoStream.removeTrack(t));
    tile.videoStream.addTrack(track);
    tile.video.srcObject = tile.videoStream;
    void tile.video.play().catch(() => undefined);
  }

  addTrack(userId: string, source: WebrtcSource, track: MediaStreamTrack): void {
    const tile = this.tile(userId, source === 'screen');
    if (track.kind === 'audio') {
      tile.audioStream.addTrack(track);
      if (!tile.audio) {
        tile.audio = document.createElement('audio');
        tile.audio.dataset['testid'] = 'remote-audio';
        tile.audio.autoplay = true;
        playOn(tile.audio, this.audioOutputId);
        tile.root.append(tile.audio);
      }
      tile.audio.srcObject = tile.audioStream;
      void tile.audio.play().catch(() => undefined);
    } else {
      tile.videoStream.getVideoTracks().forEach((t) => tile.videoStream.removeTrack(t));
      tile.videoStream.addTrack(track);
      tile.video.srcObject = tile.videoStream;
      tile.root.dataset['video'] = 'on';
      void tile.video.play().catch(() => undefined);
    }
  }

  /** A remote track arrived: its tile, and the mic/camera badge from `paused` (not for screens). */
  addRemote(userId: string, source: WebrtcSource, track: MediaStreamTrack, paused: boolean): void {
    this.addTrack(userId, source, track);
    if (track.kind === 'audio') this.setPaused(userId, 'audio', paused);
    else if (source === 'camera') this.setPaused(userId, 'video', paused);
  }

  /** A remote producer paused or resumed: the badge of a camera or mic (screens have none). */
  setRemotePaused(userId: string, source: WebrtcSource, kind: 'audio' | 'video', paused: boolean): void {
    if (source !== 'screen') this.setPaused(userId, kind, paused);
  }

  removeTrack(userId: string, source: WebrtcSource, track: MediaStreamTrack): void {
    const key = tileKey(userId, source === 'screen');
    const tile = this.tiles.get(key);
    if (!tile) return;
    tile.videoStream.removeTrack(track);
    tile.audioStream.removeTrack(track);
    if (tile.videoStream.getVideoTracks().length === 0) tile.root.dataset['video'] = 'off';
    if (source === 'screen') this.removeTile(key);
  }

  /** Marks a remote camera/mic as paused (muted) on its tile. */
  setPaused(userId: string, kind: 'audio' | 'video', paused: boolean): void {
    const tile = this.tiles.get(tileKey(userId, false));
    if (!tile) return;
    tile.root.dataset[kind === 'audio' ? 'mic' : 'camera'] = paused ? 'off' : 'on';
    this.badges(tile);
  }

  /** The name label with ✋ (hand up) and 🔇 (mic paused) in front, spelled out for screen readers. */
  private badges(tile: Tile): void {
    const name = tile.userId === this.selfId ? 'You' : this.nameOf(tile.userId);
    const hand = tile.root.dataset['hand'] === 'up';
    const muted = tile.root.dataset['mic'] === 'off';
    tile.label.textContent = `${hand ? '✋ ' : ''}${muted ? '🔇 ' : ''}${name}`;
    const states = [hand ? 'hand raised' : '', muted ? 'muted' : ''].filter(Boolean).join(', ');
    tile.root.setAttribute('aria-label', states ? `${name} (${states})` : name);
  }

  /** Participants the call knows (joined): a tile each, even before their media arrives. */
  syncParticipants(userIds: readonly string[]): void {
    const wanted = new Set(userIds);
    for (const id of userIds) this.tile(id, false);
    for (const [key, tile] of [...this.tiles]) {
      if (!wanted.has(tile.userId)) this.removeTile(key);
    }
    this.applyLayout();
  }

  setHand(userId: string, raised: boolean): void {
    const tile = this.tiles.get(tileKey(userId, false));
    if (!tile) return;
    tile.root.dataset['hand'] = raised ? 'up' : 'down';
    this.badges(tile);
  }

  /** The connection indicator of a participant's tile (own tile: the own uplink). */
  setQuality(userId: string, level: CallQuality): void {
    const tile = this.tiles.get(tileKey(userId, false));
    if (tile) showQuality(tile.root, level);
  }

  setActiveSpeaker(userId: string | null): void {
    this.speaker = userId;
    for (const tile of this.tiles.values()) {
      const speaking = !tile.screen && tile.userId === userId;
      tile.root.dataset['speaking'] = String(speaking);
      tile.root.style.outline = speaking ? '3px solid #22c55e' : 'none';
    }
    this.applyLayout();
  }

  setLayout(layout: GroupLayout): void {
    this.layout = layout;
    this.root.dataset['layout'] = layout;
    this.applyLayout();
  }

  close(): void {
    this.observer?.disconnect();
    for (const key of [...this.tiles.keys()]) this.removeTile(key);
    this.root.remove();
  }

  private tile(userId: string, screen: boolean): Tile {
    const key = tileKey(userId, screen);
    const known = this.tiles.get(key);
    if (known) return known;
    const root = document.createElement('div');
    root.dataset['testid'] = screen ? 'screen-tile' : 'participant-tile';
    root.dataset['userId'] = userId;
    root.dataset['screen'] = String(screen);
    root.dataset['speaking'] = 'false';
    root.dataset['video'] = 'off';
    root.setAttribute('role', 'listitem');
    Object.assign(root.style, {
      position: 'relative',
      minWidth: '0',
      minHeight: '0',
      borderRadius: '8px',
      overflow: 'hidden',
      background: '#1e293b',
    } satisfies Partial<CSSStyleDeclaration>);
    const video = document.createElement('video');
    video.dataset['testid'] = screen ? 'screen-video' : 'remote-video';
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    Object.assign(video.style, {
      width: '100%',
      height: '100%',
      objectFit: screen ? 'contain' : 'cover',
      display: 'block',
    } satisfies Partial<CSSStyleDeclaration>);
    const label = document.createElement('span');
    const name = userId === this.selfId ? 'You' : this.nameOf(userId);
    label.textContent = screen ? `${name} (screen)` : name;
    label.dataset['testid'] = 'tile-name';
    Object.assign(label.style, {
      position: 'absolute',
      left: '6px',
      bottom: '6px',
      padding: '2px 8px',
      borderRadius: '6px',
      background: 'rgb(0 0 0 / 55%)',
      color: '#fff',
      font: '12px/1.4 system-ui, sans-serif',
    } satisfies Partial<CSSStyleDeclaration>);
    root.setAttribute('aria-label', label.textContent);
    root.append(video, label);
    const tile: Tile = {
      userId,
      screen,
      root,
      video,
      audio: null,
      videoStream: new MediaStream(),
      audioStream: new MediaStream(),
      label,
    };
    this.tiles.set(key, tile);
    this.root.append(root);
    this.observer?.observe(root);
    this.applyLayout();
    return tile;
  }

  private removeTile(key: string): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    this.tiles.delete(key);
    this.observer?.unobserve(tile.root);
    tile.video.srcObject = null;
    if (tile.audio) tile.audio.srcObject = null;
    tile.root.remove();
    this.applyLayout();
  }

  /**
   * Grid: square-ish grid of equal tiles. Active speaker: the speaker (or a screen share, which
   * wins) large on top, the others in a strip below.
   */
  private applyLayout(): void {
    const tiles = [...this.tiles.values()];
    const count = Math.max(1, tiles.length);
    if (this.layout === 'grid') {
      const cols = Math.ceil(Math.sqrt(count));
      const rows = Math.ceil(count / cols);
      this.root.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
      this.root.style.gridTemplateRows = `repeat(${rows}, minmax(0, 1fr))`;
      tiles.forEach((t) => {
        t.root.style.gridColumn = 'auto';
        t.root.style.gridRow = 'auto';
        t.root.dataset['main'] = 'false';
      });
      return;
    }
    const main =
      tiles.find((t) => t.screen) ??
      tiles.find((t) => t.userId === this.speaker && t.userId !== this.selfId) ??
      tiles.find((t) => t.userId !== this.selfId) ??
      tiles[0];
    const others = Math.max(1, tiles.length - 1);
    this.root.style.gridTemplateColumns = `repeat(${others}, minmax(0, 1fr))`;
    this.root.style.gridTemplateRows = 'minmax(0, 4fr) minmax(0, 1fr)';
    for (const t of tiles) {
      const isMain = t === main;
      t.root.dataset['main'] = String(isMain);
      t.root.style.gridColumn = isMain ? '1 / -1' : 'auto';
      t.root.style.gridRow = isMain ? '1' : '2';
    }
  }
}

function tileKey(userId: string, screen: boolean): string {
  return screen ? `${userId}:screen` : userId;
}
