import { type ArgumentMetadata, BadRequestException, type Type, ValidationPipe } from '@nestjs/common';
import type { FieldError, ValidationErrorResponse } from '@parley/protocol';
import { ValidateBy, type ValidationError, type ValidationOptions } from 'class-validator';

/** A 400 with per-field errors (`ValidationErrorResponse`); nothing has been saved. */
export function invalid(what: string, errors: FieldError[]): BadRequestException {
  const body: ValidationErrorResponse = {
    statusCode: 400,
    error: 'Bad Request',
    message: `${what}: ${errors.map((error) => (error.field ? `${error.field}: ${error.message}` : error.message)).join('; ')}`,
    errors,
  };
  return new BadRequestException(body);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses keys outside `allowed` (the same rule as the REST DTOs: no extra fields). */
export function unknownKeys(body: Record<string, unknown>, allowed: readonly string[]): FieldError[] {
  return Object.keys(body)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ field: key, message: `property ${key} should not exist` }));
}

const EVERY_ITEM = 'everyItem';
type ItemProblem = (item: unknown) => string | null;

/**
 * An array property whose items each pass `problem` (null: fine, else what is wrong). Each bad item
 * is reported on its own, as `field[index]`: `<item> <problem>` (see {@link fieldErrors}); a value
 * that is not an array is left to the property's other rules.
 */
export function EveryItem(problem: ItemProblem, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: EVERY_ITEM,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || value.every((item) => problem(item) === null),
        defaultMessage: () => '$property has an invalid item',
      },
    },
    { ...options, context: { problem } },
  );
}

/** How a bad item is named in its message: a string by its first 80 characters, anything else by its type. */
function quoted(item: unknown): string {
  if (typeof item === 'string') return item.length > 80 ? `${item.slice(0, 80)}…` : item;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  // Never String(item): an object from JSON may have no prototype (`"__proto__": null`) or a
  // `toString` that is not a function, and converting it throws.
  return item === null ? 'null' : Array.isArray(item) ? 'a list' : 'an object';
}

/** class-validator's errors as per-field errors: the first message of each field, nested fields by path. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const problem = (error.contexts?.[EVERY_ITEM] as { problem?: ItemProblem } | undefined)?.problem;
    if (problem && Array.isArray(error.value)) {
      return error.value.flatMap((item: unknown, index) => {
        const wrong = problem(item);
        return wrong ? [{ field: `${field}[${index}]`, message: `${quoted(item)} ${wrong}` }] : [];
      });
    }
    const [message] = Object.values(error.constraints ?? {});
    return [...(message ? [{ field, message }] : []), ...fieldErrors(error.children ?? [], field)];
  });
}

/**
 * Validates a REST body against a DTO class (class-validator, no extra fields, one message a field)
 * and refuses it with {@link invalid} (`<what>: <field>: <message>; ...`, per-field `errors`).
 * Use it on an untyped `@Body()` (the global ValidationPipe skips those, so this one answers alone).
 */
export class FieldValidationPipe extends ValidationPipe {
  constructor(
    dto: Type<object>,
    private readonly what: string,
  ) {
    super({
      expectedType: dto,
      whitelist: true,
      forbidNonWhitelisted: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => invalid(what, fieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!isPlainObject(value)) throw invalid(this.what, [{ field: '', message: 'body must be an object' }]);
    return super.transform(value, metadata);
  }
}
