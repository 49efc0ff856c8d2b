import { CallPreparations, within } from './lifecycle';

describe('CallPreparations (the once-per-call rule of prepare)', () => {
  it('runs prepare once for concurrent gets of one call, once per call', async () => {
    const preparations = new CallPreparations();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const prepare = async () => {
      runs++;
      await gate;
      return { meetingId: `m${runs}` };
    };
    const joins = Array.from({ length: 8 }, () => preparations.get('c1', prepare));
    release();
    expect(await Promise.all(joins)).toEqual(Array(8).fill({ meetingId: 'm1' }));
    expect(await preparations.get('c1', prepare)).toEqual({ meetingId: 'm1' }); // done: kept
    expect(await preparations.get('c2', prepare)).toEqual({ meetingId: 'm2' });
    expect(runs).toBe(2);
  });

  it('forgets a failed run, so the next get tries again; forget drops a call', async () => {
    const preparations = new CallPreparations();
    let runs = 0;
    const prepare = async () => {
      runs++;
      if (runs === 1) throw new Error('create failed: checksumError');
      return { ok: runs };
    };
    const first = [preparations.get('c1', prepare), preparations.get('c1', prepare)];
    for (const join of first) await expect(join).rejects.toThrow('create failed: checksumError');
    expect(preparations.peek('c1')).toBeUndefined();
    expect(await preparations.get('c1', prepare)).toEqual({ ok: 2 });
    preparations.forget('c1');
    expect(await preparations.get('c1', prepare)).toEqual({ ok: 3 });
    expect(await preparations.get('c3', () => undefined as never)).toEqual({}); // nothing returned: {}
  });

  it('within: the work’s answer, or the message once the time is up', async () => {
    await expect(within(1000, Promise.resolve(7), 'late')).resolves.toBe(7);
    await expect(within(10, new Promise(() => undefined), 'did not answer')).rejects.toThrow(
      'did not answer',
    );
  });
});
