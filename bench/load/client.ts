/**
 * One client process of the load tool (forked by `run.ts`): many Parley clients in one Node
 * process, each with its own socket.io connection (the real protocol, signed in with a session
 * token) and, for the join storm, real WebRTC: mediasoup-client's `Chrome111` handler driving
 * werift's RTCPeerConnection (pure TypeScript: ICE, DTLS, SRTP), a send transport with one Opus
 * producer fed synthetic RTP (50 packets/s, 120-byte payloads, one shared 20 ms timer) and a recv
 * transport consuming every other participant's audio. Reports over IPC ({@link ChildMessage}).
 */
import { performance } from 'node:perf_hooks';
import { Device, type types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import { MediaStream, MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import type {
  CallJoinResponse,
  WebrtcConsumerInfo,
  WebrtcJoinInfo,
  WebrtcProduceResponse,
  WebrtcProducerEvent,
  WebrtcTransportInfo,
} from '@parley/protocol';
import type {
  ChildMessage,
  ClientResult,
  LoadUser,
  ParentMessage,
  RingCommand,
  SocketsCommand,
  StormCommand,
} from './protocol.ts';

/** werift as the browser's RTCPeerConnection for mediasoup-client (no STUN: loopback host candidates). */
class NodePeerConnection extends RTCPeerConnection {
  constructor(config: Record<string, unknown> = {}) {
    super({ ...config, iceServers: [] });
  }
}
Object.assign(globalThis, { RTCPeerConnection: NodePeerConnection, MediaStream });

const REQUEST_TIMEOUT_MS = 20_000;
const READY_TIMEOUT_MS = 30_000;
const PAYLOAD = Buffer.alloc(120, 0x5a);

interface Reply<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function request<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const reply = (await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload)) as Reply<T>;
  if (!reply.ok) throw new Error(`${event}: ${reply.error?.code}: ${reply.error?.message}`);
  return reply.data as T;
}

/** A socket.io connection that counts the signalling it receives (bytes and messages by event). */
function openSocket(base: string, token: string, stats?: ClientResult): Promise<Socket> {
  return new Promise((done, fail) => {
    const socket = io(base, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token },
    });
    if (stats) {
      socket.io.on('open', () => {
        socket.io.engine.on('packet', (packet: { type: string; data?: unknown }) => {
          if (packet.type !== 'message' || typeof packet.data !== 'string') return;
          stats.signalBytes += Buffer.byteLength(packet.data);
          stats.signalMessages++;
          const name =
            /^2\d*\["([^"]+)"/.exec(packet.data)?.[1] ?? (packet.data[0] === '3' ? 'ack' : 'other');
          stats.events[name] = (stats.events[name] ?? 0) + 1;
        });
      });
    }
    socket.once('connect', () => done(socket));
    socket.once('connect_error', (error) => fail(error));
  });
}

// ---- the join storm -------------------------------------------------------------------------

interface Sender {
  track: MediaStreamTrack;
  payloadType: number;
  seq: number;
  timestamp: number;
  count: { sent: number };
}

const senders = new Set<Sender>();
let rtpTimer: NodeJS.Timeout | null = null;

function startRtp(sender: Sender): void {
  senders.add(sender);
  rtpTimer ??= setInterval(() => {
    for (const s of senders) {
      s.seq = (s.seq + 1) & 0xffff;
      s.timestamp = (s.timestamp + 960) >>> 0;
      const header = new RtpHeader({
        payloadType: s.payloadType,
        sequenceNumber: s.seq,
        timestamp: s.timestamp,
        ssrc: 0, // werift's sender puts its own
        marker: false,
      });
      s.track.writeRtp(new RtpPacket(header, PAYLOAD));
      s.count.sent++;
    }
  }, 20);
}

function waitConnected(transport: types.Transport, label: string): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${label} transport not connected after ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const check = (state: string) => {
      if (state === 'connected') {
        clearTimeout(timer);
        done();
      } else if (state === 'failed' || state === 'closed') {
        clearTimeout(timer);
        fail(new Error(`${label} transport ${state}`));
      }
    };
    transport.on('connectionstatechange', check);
    check(transport.connectionState);
  });
}

interface StormClient {
  result: ClientResult;
  socket: Socket | null;
  callId: string | null;
  sent: { sent: number };
  close(): void;
}

const stormClients: StormClient[] = [];

async function joinCall(command: StormCommand, user: LoadUser & { at: number }): Promise<void> {
  const result: ClientResult = {
    userId: user.id,
    ok: false,
    consumers: 0,
    consumersFlowing: 0,
    mediaBytes: 0,
    rtpPackets: 0,
    rtpExpected: 0,
    rtpSent: 0,
    signalBytes: 0,
    signalMessages: 0,
    events: {},
    requestErrors: [],
  };
  const closers: (() => void)[] = [];
  const count = { sent: 0 };
  const client: StormClient = {
    result,
    socket: null,
    callId: null,
    sent: count,
    close: () => closers.splice(0).forEach((close) => close()),
  };
  stormClients.push(client);
  try {
    const t0 = performance.now();
    const socket = await openSocket(command.base, user.token, result);
    client.socket = socket;
    const device = new Device({ handlerName: 'Chrome111' });
    let callId: string | null = null;
    let recv: types.Transport | null = null;
    const early: string[] = [];
    const seen = new Set<string>();

    const consume = async (producerId: string) => {
      if (!recv || !callId || seen.has(producerId)) return;
      seen.add(producerId);
      try {
        const info = await request<WebrtcConsumerInfo>(socket, 'webrtc.consume', {
          callId,
          producerId,
          rtpCapabilities: device.rtpCapabilities,
        });
        const consumer = await recv.consume({
          id: info.id,
          producerId: info.producerId,
          kind: info.kind,
          rtpParameters: info.rtpParameters as unknown as types.RtpParameters,
        });
        const track = consumer.track as unknown as MediaStreamTrack;
        // Extended sequence numbers: expected = highest - first + 1 per consumer.
        let first = -1;
        let highest = -1;
        track.onReceiveRtp.subscribe((rtp) => {
          result.rtpPackets++;
          result.mediaBytes += rtp.payload.length + rtp.header.serializeSize;
          const seq = rtp.header.sequenceNumber;
          if (first < 0) {
            first = seq;
            highest = seq;
            result.consumersFlowing++;
            result.rtpExpected++;
            return;
          }
          let ext = (highest & ~0xffff) | seq;
          if (ext < highest - 0x8000) ext += 0x10000;
          else if (ext > highest + 0x8000) ext -= 0x10000;
          if (ext > highest) {
            result.rtpExpected += ext - highest;
            highest = ext;
          }
        });
        await request(socket, 'webrtc.consumer.resume', { consumerId: consumer.id });
        result.consumers++;
      } catch (error) {
        result.requestErrors.push(errorText(error));
      }
    };
    socket.on('webrtc.producer.new', (event: WebrtcProducerEvent) => {
      if (event.userId === user.id || event.kind !== 'audio') return;
      if (recv) void consume(event.producerId);
      else early.push(event.producerId);
    });

    const joined = await request<CallJoinResponse>(socket, 'call.room.join', {
      roomId: command.roomId,
      providerType: 'webrtc',
    });
    result.ackMs = performance.now() - t0;
    callId = joined.call.id;
    client.callId = callId;
    send({ type: 'joined', userId: user.id });
    const joinInfo = joined.joinInfo as unknown as WebrtcJoinInfo;
    await device.load({ routerRtpCapabilities: joinInfo.routerRtpCapabilities as types.RtpCapabilities });

    const createTransport = async (direction: 'send' | 'recv') => {
      const info = await request<WebrtcTransportInfo>(socket, 'webrtc.transport.create', {
        callId,
        direction,
      });
      const options: types.TransportOptions = {
        id: info.id,
        iceParameters: info.iceParameters as unknown as types.IceParameters,
        iceCandidates: info.iceCandidates as unknown as types.IceCandidate[],
        dtlsParameters: info.dtlsParameters as unknown as types.DtlsParameters,
        iceServers: [],
      };
      const transport =
        direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        request(socket, 'webrtc.transport.connect', { transportId: transport.id, dtlsParameters }).then(
          () => callback(),
          (error: unknown) => errback(error instanceof Error ? error : new Error(String(error))),
        );
      });
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        request<WebrtcProduceResponse>(socket, 'webrtc.produce', {
          transportId: transport.id,
          kind,
          rtpParameters,
          appData,
        }).then(
          (res) => callback({ id: res.producerId }),
          (error: unknown) => errback(error instanceof Error ? error : new Error(String(error))),
        );
      });
      closers.push(() => transport.close());
      return transport;
    };
    const [sendTransport, recvTransport] = await Promise.all([
      createTransport('send'),
      createTransport('recv'),
    ]);
    recv = recvTransport;

    const track = new MediaStreamTrack({ kind: 'audio' });
    const producer = await sendTransport.produce({
      track: track as unknown as globalThis.MediaStreamTrack,
      codecOptions: { opusStereo: false, opusDtx: false },
      stopTracks: false,
      appData: { source: 'mic' },
    });
    const sender: Sender = {
      track,
      payloadType: producer.rtpParameters.codecs[0]?.payloadType ?? 100,
      seq: 0,
      timestamp: 0,
      count,
    };
    startRtp(sender);
    closers.unshift(() => senders.delete(sender));

    const existing = await request<WebrtcProducerEvent[]>(socket, 'webrtc.producers', { callId });
    const audio = existing.filter((p) => p.userId !== user.id && p.kind === 'audio').map((p) => p.producerId);
    const waits = [waitConnected(sendTransport, 'send')];
    const first = [...early, ...audio];
    if (first.length > 0) waits.push(waitConnected(recvTransport, 'recv'));
    await Promise.all([...first.map((id) => consume(id)), ...waits]);
    result.readyMs = performance.now() - t0;
    result.ok = true;
    send({ type: 'ready', userId: user.id });
  } catch (error) {
    result.error = errorText(error);
    send({ type: 'failed', userId: user.id, error: result.error });
  }
}

async function storm(command: StormCommand): Promise<void> {
  const cpu0 = process.cpuUsage();
  const joins = command.users.map(
    (user) =>
      new Promise<void>((done) => {
        setTimeout(() => void joinCall(command, user).finally(done), Math.max(0, user.at - Date.now()));
      }),
  );
  await Promise.all(joins);
  await new Promise((r) => setTimeout(r, Math.max(0, command.leaveAt - Date.now())));
  if (rtpTimer) clearInterval(rtpTimer);
  rtpTimer = null;
  // Snapshot before leaving (leaving sends more signalling).
  for (const client of stormClients)
    send({ type: 'result', result: { ...client.result, rtpSent: client.sent.sent } });
  await Promise.all(
    stormClients.map(async (client) => {
      if (client.socket && client.callId) {
        await request(client.socket, 'call.hangup', { callId: client.callId }).catch(() => undefined);
      }
      client.close();
      client.socket?.disconnect();
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  send({ type: 'done', cpuSeconds: (cpu.user + cpu.system) / 1e6 });
}

// ---- idle sockets + ring latency ------------------------------------------------------------

const idle = new Map<string, Socket>();

async function sockets(command: SocketsCommand): Promise<void> {
  const failed: string[] = [];
  let next = 0;
  // 20 handshakes in flight at a time.
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < command.users.length) {
        const user = command.users[next++];
        try {
          idle.set(user.id, await openSocket(command.base, user.token));
        } catch (error) {
          failed.push(`${user.id}: ${errorText(error)}`);
        }
      }
    }),
  );
  send({ type: 'sockets', connected: idle.size, failed });
}

async function ring(command: RingCommand): Promise<void> {
  const caller = idle.get(command.caller);
  const callee = idle.get(command.callee);
  if (!caller || !callee) {
    send({ type: 'ring', ms: null, error: 'socket missing' });
    return;
  }
  try {
    const incoming = new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('no call.incoming within 10 s')), 10_000);
      callee.once('call.incoming', () => {
        clearTimeout(timer);
        done(performance.now());
      });
    });
    const t0 = performance.now();
    const call = await request<{ id: string }>(caller, 'call.start', {
      providerType: 'webrtc',
      target: { kind: 'user', userId: command.callee },
    });
    const t1 = await incoming;
    await request(caller, 'call.cancel', { callId: call.id });
    send({ type: 'ring', ms: t1 - t0 });
  } catch (error) {
    send({ type: 'ring', ms: null, error: errorText(error) });
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'storm') void storm(message);
  else if (message.type === 'sockets') void sockets(message);
  else if (message.type === 'ring') void ring(message);
  else {
    for (const socket of idle.values()) socket.disconnect();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
