/**
 * Checks one ICE server URL as browsers accept it: `stun:` / `turn:` / `turns:` (RFC 7064/7065),
 * a host (DNS name, IPv4 or [IPv6]), an optional port 1-65535 and, for TURN only,
 * `?transport=udp|tcp` (`turns:` with tcp only). Returns null when valid, else what is wrong.
 * The server checks the same rules; this gives the admin the answer while typing.
 */
export function iceUrlProblem(url: string): string | null {
  const match = /^(stun|turn|turns):([^?]*)(?:\?(.*))?$/.exec(url);
  if (!match) return 'must start with stun:, turn: or turns:';
  const [, scheme, hostPort = '', query] = match;
  const hostMatch = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/]+)(?::(\d+))?$/.exec(hostPort);
  if (!hostMatch) return 'must be <scheme>:<host>[:<port>]';
  const [, host = '', port] = hostMatch;
  if (!validHost(host)) return `"${host}" is not a valid host name or IP address`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'port must be 1-65535';
  if (query !== undefined) {
    if (scheme === 'stun') return 'a stun: URL takes no ?transport=';
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

/** The URLs of a textarea (one per line, blank lines ignored) and the problems per URL. */
export function parseIceUrls(text: string): { urls: string[]; problems: string[] } {
  const urls = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const problems = urls.flatMap((url) => {
    const problem = iceUrlProblem(url);
    return problem ? [`${url}: ${problem}`] : [];
  });
  if (urls.length === 0) problems.push('Enter at least one URL.');
  return { urls, problems };
}

export const isTurnUrl = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');
