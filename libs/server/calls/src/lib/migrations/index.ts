import { CallsSchema1765000000000 } from './1765000000000-calls-schema';
import { Recordings1766000000000 } from './1766000000000-recordings';

export { CallsSchema1765000000000, Recordings1766000000000 };

/** Every migration of the calls library, oldest first (run after the directory's). */
export const CALLS_MIGRATIONS = [CallsSchema1765000000000, Recordings1766000000000];
