export * from './group.repository';
export * from './im-account.repository';
export * from './message.repository';
export * from './post.repository';
export * from './room.repository';
export * from './session.repository';
export * from './user.repository';
