/**
 * The one rule for an ICE server URL, used by the server (it refuses a bad one) and the admin page
 * (it says so while the admin types): `stun:`/`stuns:` (RFC 7064) or `turn:`/`turns:` (RFC 7065),
 * a host (DNS name, IPv4 or [IPv6]), an optional port 1-65535 and, for TURN only,
 * `?transport=udp|tcp` (`turns:` runs over TLS: tcp only). Returns null when valid, else what is
 * wrong.
 */
export function iceUrlProblem(url: string): string | null {
  const match = /^(stun|stuns|turn|turns):([^?]*)(?:\?(.*))?$/.exec(url);
  if (!match) return 'must start with stun:, stuns:, turn: or turns:';
  const [, scheme, hostPort = '', query] = match;
  const hostMatch = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/]+)(?::(\d+))?$/.exec(hostPort);
  if (!hostMatch) return 'must be <scheme>:<host>[:<port>]';
  const [, host = '', port] = hostMatch;
  if (!validHost(host)) return `"${host}" is not a valid host name or IP address`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'port must be 1-65535';
  if (query !== undefined) {
    if (scheme === 'stun' || scheme === 'stuns') return `a ${scheme}: URL takes no ?transport=`;
    const transport = /^transport=(udp|tcp)$/.exec(query)?.[1];
    if (!transport) return 'the only option is ?transport=udp or ?transport=tcp';
    if (scheme === 'turns' && transport === 'udp') return 'turns: runs over TLS: use ?transport=tcp';
  }
  return null;
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\]$/.test(host);
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (ipv4) return ipv4.slice(1).every((part) => Number(part) <= 255);
  if (/^[\d.]+$/.test(host)) return false;
  return /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(
    host,
  );
}

export const isTurnUrl = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');
