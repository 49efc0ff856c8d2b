import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { MessageThreads1766100000000 } from './1766100000000-message-threads';
import { Sessions1767000000000 } from './1767000000000-sessions';
import { ImAccounts1767400000000 } from './1767400000000-im-accounts';

export {
  ImAccounts1767400000000,
  InitialSchema1763800000000,
  MessageThreads1766100000000,
  Sessions1767000000000,
};

/** Every migration of the directory, oldest first, for `TypeOrmModule.forRoot({ migrations })`. */
export const DIRECTORY_MIGRATIONS = [
  InitialSchema1763800000000,
  MessageThreads1766100000000,
  Sessions1767000000000,
  ImAccounts1767400000000,
];
