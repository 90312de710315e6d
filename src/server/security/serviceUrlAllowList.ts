/**
 * The Teams and Bot Framework service hosts a bot may be asked to answer at (activity.serviceUrl): the public
 * cloud, GCC, GCC High, DoD and 21Vianet Teams connector hosts, and the Bot Framework services (token service,
 * other channels) under botframework.com and its US Government twin.
 */
export const DEFAULT_SERVICE_URL_HOSTS: readonly string[] = [
  'smba.trafficmanager.net',
  'smba.onyx.prod.teams.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  'frontend.botapi.msg.infra.teams.microsoftonline.cn',
  '*.botframework.com',
  '*.botframework.azure.us',
];

/** What {@link ServiceUrlAllowList} allows besides the defaults. */
export interface ServiceUrlAllowListOptions {
  /** More host names, or `*.example.com` for every subdomain of example.com (ALLOWED_SERVICE_URL_HOSTS). */
  extraHosts?: readonly string[];
  /** Allow http(s) on loopback (localhost, 127.0.0.0/8, ::1): the Agents Playground and tests. Never in production. */
  allowLoopback: boolean;
}

/** Why a URL is not allowed, for the log line; undefined when it is allowed. */
export type ServiceUrlRefusal = 'not a URL' | 'not https' | 'host not allowed' | undefined;

/**
 * Decides whether the bot may send to a URL: https to an allowed host, or (outside production) loopback.
 * The bot attaches its Bot Connector token to every request it sends to a serviceUrl, so a URL that fails
 * here must never be contacted.
 */
export class ServiceUrlAllowList {
  private readonly exactHosts = new Set<string>();
  private readonly suffixes: string[] = [];

  constructor(private readonly options: ServiceUrlAllowListOptions) {
    for (const host of [...DEFAULT_SERVICE_URL_HOSTS, ...(options.extraHosts ?? [])]) {
      const normalized = host.toLowerCase();
      if (normalized.startsWith('*.')) this.suffixes.push(normalized.slice(1));
      else this.exactHosts.add(normalized);
    }
  }

  /** True when the bot may send to `url`. */
  allows(url: string | undefined): boolean {
    return this.refusal(url) === undefined;
  }

  /** Why `url` is refused, or undefined when it is allowed. */
  refusal(url: string | undefined): ServiceUrlRefusal {
    let parsed: URL;
    try {
      parsed = new URL(url ?? '');
    } catch {
      return 'not a URL';
    }
    if (parsed.username || parsed.password) return 'host not allowed';
    const host = parsed.hostname.toLowerCase();
    if (this.options.allowLoopback && isLoopback(host)) {
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : 'not https';
    }
    if (parsed.protocol !== 'https:') return 'not https';
    if (this.exactHosts.has(host)) return undefined;
    if (this.suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length))
      return undefined;
    return 'host not allowed';
  }
}

/** localhost, 127.0.0.0/8 or ::1 (as URL.hostname writes them). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
