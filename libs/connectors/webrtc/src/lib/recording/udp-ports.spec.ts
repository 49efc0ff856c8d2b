import dgram from 'node:dgram';
import { boundUdpPorts, freeUdpPortPairs, parseProcNetUdp, waitForBound, waitForDrained } from './udp-ports';

describe('UDP ports', () => {
  it('finds distinct free pairs and sees a socket bind one', async () => {
    const ports = await freeUdpPortPairs(3);
    expect(new Set(ports.flatMap((p) => [p, p + 1])).size).toBe(6);
    expect([...(await boundUdpPorts())].some((p) => ports.includes(p))).toBe(false);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(ports[0], '127.0.0.1', () => resolve()));
    try {
      await waitForBound([ports[0]], new Promise(() => undefined), 2000);
      await expect(waitForBound([ports[1]], new Promise(() => undefined), 200)).rejects.toThrow('in time');
      await expect(waitForBound([ports[1]], Promise.resolve(), 200)).rejects.toThrow('exited');
    } finally {
      socket.close();
    }
  });

  it('reads the receive queue of each port from /proc/net/udp', () => {
    const text = [
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  101: 0100007F:A3B2 00000000:0000 07 00000000:0000BC00 00:00000000 00000000     0        0 1 2 0000000000000000 0',
      '  102: 0100007F:A3B4 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0',
      '',
    ].join('\n');
    expect(parseProcNetUdp(text)).toEqual(
      new Map([
        [0xa3b2, 0xbc00],
        [0xa3b4, 0],
      ]),
    );
  });

  it('answers once the ports have nothing queued', async () => {
    const [port] = await freeUdpPortPairs(1);
    const socket = dgram.createSocket('udp4'); // Node reads at once: its queue stays empty
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', () => resolve()));
    try {
      await expect(waitForDrained([port], new Promise(() => undefined), 2000)).resolves.toBe(true);
    } finally {
      socket.close();
    }
  });
});
