import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { MessageThreads1766100000000 } from './1766100000000-message-threads';
import { Sessions1767000000000 } from './1767000000000-sessions';

export { InitialSchema1763800000000, MessageThreads1766100000000, Sessions1767000000000 };

/** Every migration of the directory, oldest first, for `TypeOrmModule.forRoot({ migrations })`. */
export const DIRECTORY_MIGRATIONS = [
  InitialSchema1763800000000,
  MessageThreads1766100000000,
  Sessions1767000000000,
];
