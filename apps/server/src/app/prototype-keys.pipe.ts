import { type ArgumentMetadata, BadRequestException, type PipeTransform } from '@nestjs/common';
import { forbiddenKey } from '@parley/connector-sdk';

/**
 * Refuses a REST body or query with a prototype key at any depth (`__proto__`, `constructor`,
 * `prototype`…) with 400 naming it, as the socket edge does. Runs before the ValidationPipe:
 * class-transformer would otherwise drop a top-level `__proto__` silently (or swap the DTO's
 * prototype), so a request would half-succeed with part of its body ignored.
 */
export class PrototypeKeysPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const problem = forbiddenKey(value);
    if (problem) throw new BadRequestException([problem]);
    return value;
  }
}
