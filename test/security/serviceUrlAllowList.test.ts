import { strict as assert } from 'node:assert';
import { DEFAULT_SERVICE_URL_HOSTS, ServiceUrlAllowList } from '../../src/server/security';

describe('ServiceUrlAllowList', () => {
  const production = new ServiceUrlAllowList({ allowLoopback: false });
  const development = new ServiceUrlAllowList({ allowLoopback: true });

  it('allows the Teams connector hosts of every cloud and the Bot Framework services over https', () => {
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'https://smba.trafficmanager.net/amer/',
      'https://smba.infra.gcc.teams.microsoft.com/',
      'https://smba.infra.gov.teams.microsoft.us/',
      'https://smba.infra.dod.teams.microsoft.us/',
      'https://token.botframework.com/',
      'https://api.botframework.com',
      'https://SMBA.TrafficManager.NET/emea/',
    ]) {
      assert.equal(production.refusal(url), undefined, url);
    }
    assert.ok(DEFAULT_SERVICE_URL_HOSTS.includes('smba.trafficmanager.net'));
  });

  it('refuses other hosts, look-alikes and the bare wildcard domain', () => {
    for (const url of [
      'https://attacker.example/',
      'https://smba.trafficmanager.net.attacker.example/',
      'https://evilsmba.trafficmanager.net/',
      'https://botframework.com.attacker.example/',
      'https://attackerbotframework.com/',
      'https://botframework.com/',
    ]) {
      assert.equal(production.refusal(url), 'host not allowed', url);
    }
  });

  it('refuses plain http, credentials in the URL and things that are not URLs', () => {
    assert.equal(production.refusal('http://smba.trafficmanager.net/emea/'), 'not https');
    assert.equal(production.refusal('https://user:pass@smba.trafficmanager.net/emea/'), 'host not allowed');
    assert.equal(production.refusal('not a url'), 'not a URL');
    assert.equal(production.refusal(undefined), 'not a URL');
    assert.equal(production.refusal('file:///etc/passwd'), 'not https');
  });

  it('allows loopback (Agents Playground, tests) only when told to, never in production', () => {
    for (const url of [
      'http://localhost:56150',
      'http://127.0.0.1:3978/',
      'http://[::1]:8080',
      'https://127.0.0.2',
    ]) {
      assert.equal(development.refusal(url), undefined, url);
      assert.equal(production.refusal(url), url.startsWith('https') ? 'host not allowed' : 'not https', url);
    }
    assert.equal(development.refusal('ftp://127.0.0.1/'), 'not https');
    assert.equal(development.refusal('http://127.0.0.1.attacker.example/'), 'not https');
  });

  it('adds configured hosts and wildcards to the defaults', () => {
    const list = new ServiceUrlAllowList({
      allowLoopback: false,
      extraHosts: ['smba.teams.sovcloud-core.fr', '*.bots.contoso.com'],
    });
    assert.ok(list.allows('https://smba.teams.sovcloud-core.fr/'));
    assert.ok(list.allows('https://eu.bots.contoso.com/'));
    assert.ok(!list.allows('https://bots.contoso.com/'), 'a wildcard covers subdomains only');
    assert.ok(list.allows('https://smba.trafficmanager.net/emea/'), 'the defaults stay');
  });
});
