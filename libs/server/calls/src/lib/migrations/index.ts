import { CallsSchema1765000000000 } from './1765000000000-calls-schema';
import { Recordings1766000000000 } from './1766000000000-recordings';
import { Retention1767300000000 } from './1767300000000-retention';

export { CallsSchema1765000000000, Recordings1766000000000, Retention1767300000000 };

/** Every migration of the calls library, oldest first (run after the directory's). */
export const CALLS_MIGRATIONS = [CallsSchema1765000000000, Recordings1766000000000, Retention1767300000000];
