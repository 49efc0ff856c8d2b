import { ConferencingSchema1764000000000 } from './1764000000000-conferencing-schema';

export { ConferencingSchema1764000000000 };

/** Every migration of the conferencing module, oldest first (run after the directory's). */
export const CONFERENCING_MIGRATIONS = [ConferencingSchema1764000000000];
