/**
 * A throttled uplink for the media tests: `tc` (HTB, the only shaper this kernel has; no netem)
 * on the namespace's loopback squeezes the UDP packets leaving chosen local ports into a few
 * kbit/s with a three-packet queue, so the media server loses most of what that browser sends.
 * Everything else on loopback bypasses the shaper (HTB with no default class sends unclassified
 * packets straight through). Only inside `tools/netns.sh`: it changes the namespace's `lo`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function tc(...args: string[]): Promise<void> {
  try {
    await run('tc', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? String(error);
    throw new Error(`tc ${args.join(' ')} failed: ${stderr} (run the test inside tools/netns.sh, as root)`);
  }
}

export interface ThrottledUplink {
  /** Removes the shaper: the ports send at full speed again. */
  lift(): Promise<void>;
}

/** Throttles what leaves `ports` (UDP, IPv4) to `kbit` kbit/s on `lo`. */
export async function throttleUplink(ports: readonly number[], kbit = 16): Promise<ThrottledUplink> {
  if (ports.length === 0) throw new Error('throttleUplink: no ports to throttle');
  await tc('qdisc', 'replace', 'dev', 'lo', 'root', 'handle', '1:', 'htb');
  await tc(
    'class',
    'add',
    'dev',
    'lo',
    'parent',
    '1:',
    'classid',
    '1:20',
    'htb',
    'rate',
    `${kbit}kbit`,
    'ceil',
    `${kbit}kbit`,
  );
  await tc('qdisc', 'add', 'dev', 'lo', 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '3');
  for (const port of ports) {
    await tc(
      'filter',
      'add',
      'dev',
      'lo',
      'parent',
      '1:',
      'protocol',
      'ip',
      'prio',
      '1',
      'u32',
      'match',
      'ip',
      'protocol',
      '17',
      '0xff',
      'match',
      'ip',
      'sport',
      String(port),
      '0xffff',
      'flowid',
      '1:20',
    );
  }
  let lifted = false;
  return {
    async lift() {
      if (lifted) return;
      lifted = true;
      await tc('qdisc', 'del', 'dev', 'lo', 'root');
    },
  };
}
