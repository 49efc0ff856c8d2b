// @parley/widget: the call widget (call button + provider pulldown, incoming-call toast, call
// window, call history), over an injectable host (see ParleyWidgetHost).
export * from './lib/config/widget-config';
export * from './lib/host/connector-types';
export * from './lib/host/widget-host';
export * from './lib/sounds/tones';
export * from './lib/sounds/sound-player';
export * from './lib/preferences/preferences.store';
export * from './lib/calls/call.service';
export * from './lib/calls/call-rings';
export * from './lib/calls/media-errors';
export * from './lib/call-button/call-button.component';
export * from './lib/incoming-call/incoming-call.component';
export * from './lib/call-window/call-window.component';
export * from './lib/call-history/call-history.component';
export * from './lib/provide';
export * from './lib/icons/icon.component';
export * from './lib/group-call/room-calls.store';
export * from './lib/group-call/call-banner.component';
export * from './lib/group-call/participant-list.component';
export * from './lib/lobby/call-lobby.component';
