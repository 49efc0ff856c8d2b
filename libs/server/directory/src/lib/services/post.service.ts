import { BadRequestException, Injectable } from '@nestjs/common';
import type { ActivityPost } from '@parley/protocol';
import type { PostEntity } from '../entities';
import { PostRepository } from '../repositories';
import { newId, nowIso } from '../util/time';
import { DirectoryEvents } from './directory-events.service';
import { DEFAULT_MESSAGES_LIMIT, MAX_BODY_LENGTH, MAX_MESSAGES_LIMIT } from './room.service';

export function toActivityPost(post: PostEntity): ActivityPost {
  return { id: post.id, authorId: post.authorId, body: post.body, createdAt: post.createdAt };
}

@Injectable()
export class PostService {
  constructor(
    private readonly posts: PostRepository,
    private readonly events: DirectoryEvents,
  ) {}

  /** The activity stream, newest first. */
  async list(limit?: number, before?: string): Promise<ActivityPost[]> {
    const take = Math.min(Math.max(limit ?? DEFAULT_MESSAGES_LIMIT, 1), MAX_MESSAGES_LIMIT);
    return (await this.posts.list(take, before)).map(toActivityPost);
  }

  /** Stores the post and pushes it to everyone. */
  async create(authorId: string, body: string, createdAt = nowIso()): Promise<ActivityPost> {
    const text = typeof body === 'string' ? body.trim() : '';
    if (text.length === 0) {
      throw new BadRequestException('body must not be empty');
    }
    if (text.length > MAX_BODY_LENGTH) {
      throw new BadRequestException(`body must be at most ${MAX_BODY_LENGTH} characters`);
    }
    const post = toActivityPost(await this.posts.create({ id: newId(), authorId, body: text, createdAt }));
    this.events.emit({ type: 'post.created', post });
    return post;
  }
}
