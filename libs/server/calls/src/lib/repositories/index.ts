export * from './call.repository';
export * from './preference.repository';
export * from './recording.repository';
