/**
 * Checks one ICE server URL (RFC 7064 `stun:`/`stuns:`, RFC 7065 `turn:`/`turns:`): scheme, host
 * (DNS name, IPv4 or [IPv6]), optional port 1-65535, and for TURN an optional `?transport=udp|tcp`.
 * Returns null when valid, else what is wrong.
 */
export function iceUrlProblem(url: string): string | null {
  const match = /^(stun|stuns|turn|turns):([^?]*)(\?(.*))?$/.exec(url);
  if (!match) return 'must start with stun:, stuns:, turn: or turns:';
  const [, scheme, hostPort, query, queryText] = match;
  const hostMatch = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(hostPort);
  if (!hostMatch) return 'must be <scheme>:<host>[:<port>]';
  const [, host, port] = hostMatch;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  const validHost = host.startsWith('[')
    ? /^\[[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\]$/.test(host)
    : ipv4
      ? ipv4.slice(1).every((part) => Number(part) <= 255)
      : /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(
          host,
        ) && !/^\d+(\.\d+)*$/.test(host);
  if (!validHost) return `host ${JSON.stringify(host)} is not a valid host name or IP address`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'port must be 1-65535';
  if (query !== undefined) {
    if (scheme === 'stun' || scheme === 'stuns') return 'stun URLs take no query';
    if (!/^transport=(udp|tcp)$/.test(queryText ?? ''))
      return 'the only query allowed is ?transport=udp or ?transport=tcp';
  }
  return null;
}

export const isTurnUrl = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');
