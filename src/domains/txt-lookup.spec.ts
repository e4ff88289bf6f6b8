import { TestDnsServer } from '../../test/helpers/dns-server';
import { LOOKUP_TIMEOUT_MS, TxtLookup } from './txt-lookup';

describe('TxtLookup against a DNS server of the test', () => {
  let dns: TestDnsServer;
  let lookup: TxtLookup;

  beforeAll(async () => {
    dns = await TestDnsServer.start();
    lookup = new TxtLookup({ dnsServers: [dns.address] });
  });
  afterAll(() => dns.stop());

  it('joins the chunks of each record and returns every record at the name', async () => {
    dns.set('_sso-verification.acme.com', { txt: [['sso-verification=', 'abc', '123'], ['v=spf1 -all']] });
    expect(await lookup.lookup('_sso-verification.acme.com')).toEqual({
      found: true,
      records: ['sso-verification=abc123', 'v=spf1 -all'],
    });
  });

  it('asks the server every time: a record published after a miss is found at once', async () => {
    expect(await lookup.lookup('_sso-verification.late.com')).toMatchObject({ found: false, reason: 'record_not_found' });
    dns.set('_sso-verification.late.com', { txt: [['sso-verification=now']] });
    expect(await lookup.lookup('_sso-verification.late.com')).toEqual({ found: true, records: ['sso-verification=now'] });
  });

  it('answers record_not_found for NXDOMAIN and for a name without TXT records', async () => {
    expect(await lookup.lookup('_sso-verification.nowhere.com')).toMatchObject({ found: false, reason: 'record_not_found' });
  });

  it.each(['SERVFAIL', 'REFUSED'] as const)('answers dns_error for %s', async (rcode) => {
    dns.set(`_sso-verification.${rcode.toLowerCase()}.com`, { rcode });
    expect(await lookup.lookup(`_sso-verification.${rcode.toLowerCase()}.com`)).toMatchObject({ found: false, reason: 'dns_error' });
  });

  it('gives up on a server that never answers within the bounded time, as dns_error', async () => {
    dns.set('_sso-verification.silent.com', { silent: true });
    const started = Date.now();
    const answer = await lookup.lookup('_sso-verification.silent.com');
    expect(answer).toMatchObject({ found: false, reason: 'dns_error' });
    // Not a timing assertion on speed: a bound that proves the lookup cannot hang.
    expect(Date.now() - started).toBeLessThan(LOOKUP_TIMEOUT_MS + 2000);
  });
});
