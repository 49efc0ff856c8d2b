import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { ActivityPost } from '@parley/protocol';
import { ApiClient } from './api-client';
import { RealtimeService } from './realtime.service';
import { SessionService } from './session.service';

/** The activity stream, newest first, with live `post.created`. */
@Injectable({ providedIn: 'root' })
export class ActivityStore {
  private readonly api = inject(ApiClient);
  private readonly realtime = inject(RealtimeService);
  private readonly postsSignal = signal<readonly ActivityPost[]>([]);
  private readonly loadedSignal = signal(false);

  readonly posts = this.postsSignal.asReadonly();
  readonly loaded = this.loadedSignal.asReadonly();

  constructor() {
    const subs = [
      inject(SessionService).signedOut$.subscribe(() => {
        this.postsSignal.set([]);
        this.loadedSignal.set(false);
      }),
      this.realtime.events('post.created').subscribe((post) => this.add([post])),
      this.realtime.connected$.subscribe(() => {
        if (this.loadedSignal()) void this.load();
      }),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((s) => s.unsubscribe()));
  }

  async load(): Promise<void> {
    this.add(await this.api.posts());
    this.loadedSignal.set(true);
  }

  async create(body: string): Promise<ActivityPost> {
    const post = await this.api.createPost(body);
    this.add([post]);
    return post;
  }

  private add(posts: readonly ActivityPost[]): void {
    const byId = new Map(this.postsSignal().map((p) => [p.id, p]));
    for (const post of posts) byId.set(post.id, post);
    this.postsSignal.set(
      [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)),
    );
  }
}
