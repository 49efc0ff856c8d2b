import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ActivityPost } from '@parley/protocol';
import { CurrentUser } from '../auth/auth.decorators';
import { ActivityPostDto, CreatePostDto, PageQueryDto } from '../dto/directory.dto';
import type { UserEntity } from '../entities';
import { PostService } from '../services/post.service';

@ApiTags('posts')
@ApiCookieAuth()
@Controller('api/posts')
export class PostsController {
  constructor(private readonly posts: PostService) {}

  @Get()
  @ApiOperation({ summary: 'The activity stream, newest first, paged backwards with `before`' })
  @ApiOkResponse({ type: [ActivityPostDto] })
  list(@Query() query: PageQueryDto): Promise<ActivityPost[]> {
    return this.posts.list(query.limit, query.before);
  }

  @Post()
  @ApiOperation({ summary: 'Post to the activity stream; pushed to everyone as post.created' })
  @ApiCreatedResponse({ type: ActivityPostDto })
  create(@CurrentUser() user: UserEntity, @Body() body: CreatePostDto): Promise<ActivityPost> {
    return this.posts.create(user.id, body.body);
  }
}
