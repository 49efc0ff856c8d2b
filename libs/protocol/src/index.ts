// Types shared by the server and the browser. No runtime dependencies.
export * from './lib/admin';
export * from './lib/call-delta';
export * from './lib/calls';
export * from './lib/directory';
export * from './lib/format';
export * from './lib/guests';
export * from './lib/ice';
export * from './lib/ice-url';
export * from './lib/providers';
export * from './lib/rest';
export * from './lib/socket';
export * from './lib/webrtc';
