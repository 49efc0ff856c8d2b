import { CallsSchema1765000000000 } from './1765000000000-calls-schema';

export { CallsSchema1765000000000 };

/** Every migration of the calls library, oldest first (run after the directory's). */
export const CALLS_MIGRATIONS = [CallsSchema1765000000000];
