import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { MessageBody } from '@nestjs/websockets';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { clipInput, SocketError } from './socket-error';

/** Types that are not DTOs: a payload declared as one of these is passed through unchecked. */
const PLAIN_TYPES: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array]);

/**
 * Keys no payload may have at any depth: `Object.prototype`'s own (`constructor`, `__proto__`,
 * `toString`…) and `prototype`. class-transformer skips them silently (they name functions on a
 * DTO) or, for `__proto__`, swaps the DTO's prototype, so they are refused before it runs.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);
/** Deeper than any DTO goes (rtpParameters.codecs.0.rtcpFeedback.0.type is 5). */
const MAX_DEPTH = 12;
/** A refusal lists this many problems at most, then how many more there are. */
const MAX_MESSAGES = 5;

const joinPath = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/**
 * The first key of `value` (at any depth) that must not be there, with why; null when none. Also
 * used by the app's REST edge, whose ValidationPipe would drop a top-level `__proto__` silently.
 */
export function forbiddenKey(value: unknown, path = '', depth = 0): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_DEPTH) return `${path || 'payload'} is nested too deeply`;
  const isArray = Array.isArray(value);
  for (const key of Object.keys(value)) {
    const at = joinPath(path, clipInput(key));
    if (!isArray && PROTOTYPE_KEYS.has(key)) return `property ${at} should not exist`;
    const inner = forbiddenKey((value as Record<string, unknown>)[key], at, depth + 1);
    if (inner) return inner;
  }
  return null;
}

/**
 * `presence must be one of…`, `target.userId must be a string`: every constraint, nested ones
 * prefixed by their path. An unknown field is named by a short prefix of its key only.
 */
function messagesOf(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = joinPath(prefix, clipInput(error.property));
    const constraints = Object.entries(error.constraints ?? {}).map(([name, message]) =>
      name === 'whitelistValidation'
        ? `property ${path} should not exist`
        : prefix
          ? `${prefix}.${message}`
          : message,
    );
    return [...constraints, ...messagesOf(error.children ?? [], path)];
  });
}

/** At most {@link MAX_MESSAGES} of them (each once), and how many were left out. */
function summary(all: string[]): string {
  const messages = [...new Set(all)];
  if (messages.length === 0) return 'invalid payload';
  const shown = messages.slice(0, MAX_MESSAGES).join('; ');
  const more = messages.length - MAX_MESSAGES;
  return more > 0 ? `${shown}; and ${more} more` : shown;
}

/**
 * Validates a socket payload against the DTO class its handler declares (`@Payload() dto:
 * CallIdDto`), with the same class-validator rules REST uses: whitelist, no unknown fields, nested
 * objects. A bad payload is refused `bad_request` naming the fields at fault (a few of them, and
 * never more than a short prefix of what the client sent).
 */
@Injectable()
export class SocketValidationPipe implements PipeTransform<unknown, Promise<unknown>> {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as ClassConstructor<object> | undefined;
    if (!type || PLAIN_TYPES.has(type)) return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SocketError('bad_request', 'payload must be an object');
    }
    const forbidden = forbiddenKey(value);
    if (forbidden) throw new SocketError('bad_request', forbidden);
    const dto = plainToInstance(type, value);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new SocketError('bad_request', summary(messagesOf(errors)));
    return dto;
  }
}

/** The request's payload, validated and turned into its DTO class by {@link SocketValidationPipe}. */
export const Payload = (): ParameterDecorator => MessageBody(SocketValidationPipe);
