import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { PostEntity } from '../entities';

@Injectable()
export class PostRepository {
  constructor(@InjectRepository(PostEntity) private readonly posts: Repository<PostEntity>) {}

  async create(post: PostEntity): Promise<PostEntity> {
    await this.posts.insert(post);
    return post;
  }

  /** Newest first; only posts strictly older than `before` when given. */
  list(limit: number, before?: string): Promise<PostEntity[]> {
    return this.posts.find({
      where: before ? { createdAt: LessThan(before) } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
