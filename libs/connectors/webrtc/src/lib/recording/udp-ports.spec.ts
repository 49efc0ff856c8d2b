import dgram from 'node:dgram';
import { boundUdpPorts, freeUdpPortPairs, waitForBound } from './udp-ports';

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
});
