import { BadRequestException } from '@nestjs/common';
import type { FieldError, ValidationErrorResponse } from '@parley/protocol';

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
