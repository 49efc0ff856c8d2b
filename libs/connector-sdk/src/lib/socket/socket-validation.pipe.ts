import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { MessageBody } from '@nestjs/websockets';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { SocketError } from './socket-error';

/** Types that are not DTOs: a payload declared as one of these is passed through unchecked. */
const PLAIN_TYPES: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array]);

/** `presence.must be one of…`, `target.userId must be a string`: every constraint, nested ones prefixed. */
function messagesOf(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((message) => (prefix ? `${prefix}.${message}` : message)),
    ...messagesOf(error.children ?? [], prefix ? `${prefix}.${error.property}` : error.property),
  ]);
}

/**
 * Validates a socket payload against the DTO class its handler declares (`@Payload() dto:
 * CallIdDto`), with the same class-validator rules REST uses: whitelist, no unknown fields, nested
 * objects. A bad payload is refused `bad_request` naming every field at fault.
 */
@Injectable()
export class SocketValidationPipe implements PipeTransform<unknown, Promise<unknown>> {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as ClassConstructor<object> | undefined;
    if (!type || PLAIN_TYPES.has(type)) return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SocketError('bad_request', 'payload must be an object');
    }
    const dto = plainToInstance(type, value);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0)
      throw new SocketError('bad_request', messagesOf(errors).join('; ') || 'invalid payload');
    return dto;
  }
}

/** The request's payload, validated and turned into its DTO class by {@link SocketValidationPipe}. */
export const Payload = (): ParameterDecorator => MessageBody(SocketValidationPipe);
