// Messages between the load tool (`run.ts`) and its client processes (`client.ts`, forked) over
// the IPC channel. Times are epoch milliseconds (`Date.now()`), durations milliseconds.

export interface LoadUser {
  id: string;
  token: string;
}

/** Parent -> child: join `roomId`'s call with these users, each at its `at`, then leave at `leaveAt`. */
export interface StormCommand {
  type: 'storm';
  base: string;
  roomId: string;
  users: (LoadUser & { at: number })[];
  leaveAt: number;
}

/** Parent -> child: open one idle signed-in socket per user (no call, no media). */
export interface SocketsCommand {
  type: 'sockets';
  base: string;
  users: LoadUser[];
}

/** Parent -> child: `caller` calls `callee` (both this child's sockets); reply {@link RingResult}. */
export interface RingCommand {
  type: 'ring';
  caller: string;
  callee: string;
}

export interface StopCommand {
  type: 'stop';
}

export type ParentMessage = StormCommand | SocketsCommand | RingCommand | StopCommand;

/** One storm client's outcome. */
export interface ClientResult {
  userId: string;
  ok: boolean;
  error?: string;
  /** Socket connect -> `call.room.join` acknowledged. */
  ackMs?: number;
  /** Socket connect -> send transport connected and, when there was audio to consume at join, recv too. */
  readyMs?: number;
  /** Remote audio streams consumed (consumers created and resumed). */
  consumers: number;
  /** Consumers that received at least one RTP packet. */
  consumersFlowing: number;
  /** RTP bytes (header + payload) received on the consumers. */
  mediaBytes: number;
  rtpPackets: number;
  /** Packets due on the consumers: per consumer, highest extended sequence number - first + 1. */
  rtpExpected: number;
  /** RTP packets this client sent. */
  rtpSent: number;
  /** Socket.io text received from the server (signalling), bytes and messages. */
  signalBytes: number;
  signalMessages: number;
  /** Signalling messages received by event name. */
  events: Record<string, number>;
  /** Requests answered with an error (event: code), while joined. */
  requestErrors: string[];
}

export type ChildMessage =
  | { type: 'joined'; userId: string }
  | { type: 'ready'; userId: string }
  | { type: 'failed'; userId: string; error: string }
  | { type: 'result'; result: ClientResult }
  | { type: 'done'; cpuSeconds: number }
  | { type: 'sockets'; connected: number; failed: string[] }
  | { type: 'ring'; ms: number | null; error?: string };
