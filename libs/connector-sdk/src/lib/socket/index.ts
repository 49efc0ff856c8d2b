export * from './actor.decorator';
export * from './gateway';
export * from './socket-error';
export * from './socket-relay.interceptor';
export * from './socket-reply.interceptor';
export * from './socket-validation.pipe';
