import { strict as assert } from 'node:assert';
import { AuthenticationConstants } from 'botframework-connector';
import { botAuthenticationSettings } from '../../src/server';

const identity = { kind: 'MultiTenant', appId: 'app-id', appPassword: 'secret' } as const;

describe('botAuthenticationSettings', () => {
  it('passes no endpoint at all without overrides, so botbuilder uses its public-cloud defaults', () => {
    assert.deepEqual(botAuthenticationSettings(identity), {
      MicrosoftAppId: 'app-id',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppType: 'MultiTenant',
    });
    assert.deepEqual(botAuthenticationSettings({ kind: 'anonymous' }), {});
  });

  it('fills every endpoint botbuilder then reads once one is overridden, the others with the public-cloud values', () => {
    const settings = botAuthenticationSettings(identity, {
      openIdMetadataUrl: 'http://127.0.0.1:9/openid',
      tokenIssuer: undefined,
      loginUrl: undefined,
    });
    assert.equal(settings.ToBotFromChannelOpenIdMetadataUrl, 'http://127.0.0.1:9/openid');
    assert.equal(settings.ToBotFromChannelTokenIssuer, AuthenticationConstants.ToBotFromChannelTokenIssuer);
    assert.equal(settings.ToChannelFromBotLoginUrl, AuthenticationConstants.ToChannelFromBotLoginUrl);
    assert.equal(settings.ToChannelFromBotOAuthScope, AuthenticationConstants.ToChannelFromBotOAuthScope);
    assert.equal(
      settings.ToBotFromEmulatorOpenIdMetadataUrl,
      AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    );
    assert.equal(settings.OAuthUrl, AuthenticationConstants.OAuthUrl);
    assert.equal(settings.CallerId, 'urn:botframework:azure');
    assert.equal(settings.MicrosoftAppId, 'app-id');

    const login = botAuthenticationSettings(identity, {
      openIdMetadataUrl: undefined,
      tokenIssuer: 'https://issuer.test',
      loginUrl: 'https://login.test/tenant',
    });
    assert.equal(login.ToChannelFromBotLoginUrl, 'https://login.test/tenant');
    assert.equal(login.ToBotFromChannelTokenIssuer, 'https://issuer.test');
    assert.equal(
      login.ToBotFromChannelOpenIdMetadataUrl,
      AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    );
  });
});
