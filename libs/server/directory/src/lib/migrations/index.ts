import { InitialSchema1763800000000 } from './1763800000000-initial-schema';

export { InitialSchema1763800000000 };

/** Every migration of the directory, oldest first, for `TypeOrmModule.forRoot({ migrations })`. */
export const DIRECTORY_MIGRATIONS = [InitialSchema1763800000000];
