import { Inject, Injectable } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export const LOOKUP_TIMEOUT_MS = 3000;

/** The TXT records at a name, each with its chunks joined; or why there is no answer to trust. */
export type TxtAnswer = { found: true; records: string[] } | { found: false; reason: 'record_not_found' | 'dns_error'; detail: string };

/** "There is no such record" answers: proof of absence, unlike a timeout or a server failure. */
const ABSENT: ReadonlySet<string> = new Set([dns.NODATA, dns.NOTFOUND]);

/**
 * TXT lookups through node:dns's c-ares Resolver, which keeps no cache of its own: every
 * verification asks the servers again, so a record published a minute ago counts at once and a
 * missing one is not remembered. DNS_SERVERS replaces the system resolvers.
 */
@Injectable()
export class TxtLookup {
  private readonly servers: string[] | null;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'dnsServers'>) {
    this.servers = config.dnsServers.length > 0 ? config.dnsServers : null;
  }

  async lookup(name: string): Promise<TxtAnswer> {
    // One resolver per lookup, so cancelling a slow one on timeout cannot cancel another's.
    const resolver = new dns.Resolver({ timeout: LOOKUP_TIMEOUT_MS, tries: 1 });
    if (this.servers) resolver.setServers(this.servers);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        resolver.cancel();
        reject(Object.assign(new Error(`no answer within ${LOOKUP_TIMEOUT_MS} ms`), { code: dns.TIMEOUT }));
      }, LOOKUP_TIMEOUT_MS);
    });
    try {
      const records = await Promise.race([resolver.resolveTxt(name), deadline]);
      return { found: true, records: records.map((chunks) => chunks.join('')) };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unknown';
      if (ABSENT.has(code)) return { found: false, reason: 'record_not_found', detail: code };
      return { found: false, reason: 'dns_error', detail: code };
    } finally {
      clearTimeout(timer);
    }
  }
}
