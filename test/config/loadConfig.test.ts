import { strict as assert } from 'node:assert';
import os from 'node:os';
import path from 'node:path';
import { describeModel, loadConfig, secretValues } from '../../src/config';
import { ConfigError } from '../../src/shared/errors';

/** Asserts that loading fails with a ConfigError naming `setting`. */
function assertRejects(env: Record<string, string>, setting: string, message?: RegExp): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(error.setting, setting);
      assert.ok(!error.message.includes('\n'), 'one line');
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

describe('loadConfig', () => {
  it('starts with the built-in offline model, port 3978 and anonymous auth when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.server.port, 3978);
    assert.equal(config.model.provider, 'offline');
    assert.deepEqual(config.bot, { kind: 'anonymous' });
    assert.equal(config.storage.databaseFile, path.resolve('data', 'bot.sqlite'));
    assert.match(describeModel(config.model), /offline/);
  });

  it('limits the web chat to 20 questions a minute with bursts of 10 by default; 0 turns the limit off', () => {
    assert.deepEqual(loadConfig({}).chat.rateLimit, { perMinute: 20, burst: 10 });
    assert.deepEqual(
      loadConfig({ CHAT_RATE_LIMIT_PER_MINUTE: '60', CHAT_RATE_LIMIT_BURST: '5' }).chat.rateLimit,
      { perMinute: 60, burst: 5 },
    );
    assert.equal(loadConfig({ CHAT_RATE_LIMIT_PER_MINUTE: '0' }).chat.rateLimit, undefined);
    assertRejects({ CHAT_RATE_LIMIT_PER_MINUTE: '2.5' }, 'CHAT_RATE_LIMIT_PER_MINUTE', /whole number/);
    assertRejects({ CHAT_RATE_LIMIT_BURST: '0' }, 'CHAT_RATE_LIMIT_BURST', /at least 1/);
  });

  it('treats empty values (KEY= in .env files) as unset', () => {
    assert.equal(loadConfig({ OPENAI_API_KEY: '', BOT_ID: '  ', PORT: '' }).model.provider, 'offline');
  });

  it('picks OpenAI with gpt-5-mini at reasoning effort low by default when OPENAI_API_KEY is set', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-test' });
    assert.deepEqual(config.model, {
      provider: 'openai',
      apiKey: 'sk-test',
      model: 'gpt-5-mini',
      baseUrl: undefined,
      family: 'auto',
      reasoningEffort: 'low',
    });
    assert.equal(describeModel(config.model), 'OpenAI, model gpt-5-mini, reasoning model, effort low');
    assert.ok(!describeModel(config.model).includes('sk-test'), 'no secret in the startup line');
  });

  describe('MODEL_FAMILY and REASONING_EFFORT', () => {
    const azure = {
      AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com',
      AZURE_OPENAI_API_KEY: 'key',
    };

    it('recognise the family from the name (auto) or take it as set, and the effort for reasoning models', () => {
      const chat = loadConfig({ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'gpt-4.1' }).model;
      assert.deepEqual(chat.provider === 'openai' && [chat.family, chat.reasoningEffort], ['auto', 'low']);
      assert.match(describeModel(chat), /model gpt-4\.1, chat model$/);
      const effort = loadConfig({ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'o4-mini', REASONING_EFFORT: 'high' });
      assert.match(describeModel(effort.model), /o4-mini, reasoning model, effort high$/);
      const deployment = loadConfig({
        ...azure,
        AZURE_OPENAI_DEPLOYMENT_NAME: 'answers-prod',
        MODEL_FAMILY: 'reasoning',
        REASONING_EFFORT: 'minimal',
      }).model;
      assert.equal(deployment.provider, 'azure-openai');
      assert.deepEqual(
        deployment.provider === 'azure-openai' && [deployment.family, deployment.reasoningEffort],
        ['reasoning', 'minimal'],
      );
      assert.match(
        describeModel(deployment),
        /deployment answers-prod \(API key\), reasoning model, effort minimal$/,
      );
      const forcedChat = loadConfig({
        OPENAI_API_KEY: 'k',
        OPENAI_MODEL: 'gpt-5-mini',
        MODEL_FAMILY: 'chat',
      });
      assert.match(describeModel(forcedChat.model), /chat model$/);
    });

    it('stop startup with one line naming the setting for a bad value or a contradiction', () => {
      assertRejects(
        { OPENAI_API_KEY: 'k', MODEL_FAMILY: 'o-series' },
        'MODEL_FAMILY',
        /auto.*chat.*reasoning/,
      );
      assertRejects({ OPENAI_API_KEY: 'k', REASONING_EFFORT: 'extreme' }, 'REASONING_EFFORT', /minimal/);
      assertRejects(
        { OPENAI_API_KEY: 'k', OPENAI_MODEL: 'gpt-5', MODEL_FAMILY: 'chat', REASONING_EFFORT: 'low' },
        'REASONING_EFFORT',
        /MODEL_FAMILY=chat/,
      );
      assertRejects(
        { OPENAI_API_KEY: 'k', OPENAI_MODEL: 'gpt-4o', REASONING_EFFORT: 'low' },
        'REASONING_EFFORT',
        /gpt-4o.*MODEL_FAMILY=reasoning/,
      );
      assertRejects(
        { ...azure, AZURE_OPENAI_DEPLOYMENT_NAME: 'answers-prod', REASONING_EFFORT: 'medium' },
        'REASONING_EFFORT',
        /answers-prod.*MODEL_FAMILY=reasoning/,
      );
      assertRejects({ REASONING_EFFORT: 'low' }, 'REASONING_EFFORT', /offline/);
      assertRejects({ MODEL_FAMILY: 'reasoning' }, 'MODEL_FAMILY', /offline/);
      assert.equal(loadConfig({ MODEL_FAMILY: 'chat' }).model.provider, 'offline');
    });
  });

  it('accepts any OpenAI-compatible server through OPENAI_BASE_URL, without a key', () => {
    const config = loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1' });
    assert.equal(config.model.provider, 'openai');
    assert.match(
      describeModel(config.model),
      /OpenAI-compatible server at http:\/\/localhost:11434\/v1, model llama3.1/,
    );
  });

  it('picks Azure OpenAI with a key or with a managed identity', () => {
    const base = {
      AZURE_OPENAI_ENDPOINT: 'https://contoso.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT_NAME: 'gpt-4o',
    };
    const withKey = loadConfig({ ...base, AZURE_OPENAI_API_KEY: 'key' }).model;
    assert.equal(withKey.provider, 'azure-openai');
    assert.deepEqual(withKey.provider === 'azure-openai' && withKey.auth, { kind: 'apiKey', apiKey: 'key' });
    const withIdentity = loadConfig({
      ...base,
      AZURE_OPENAI_USE_MANAGED_IDENTITY: 'true',
      AZURE_CLIENT_ID: 'abc',
    }).model;
    assert.deepEqual(withIdentity.provider === 'azure-openai' && withIdentity.auth, {
      kind: 'managedIdentity',
      clientId: 'abc',
    });
  });

  it('stops on half-set or contradictory model settings, naming the variable', () => {
    assertRejects({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }, 'AZURE_OPENAI_DEPLOYMENT_NAME');
    assertRejects({ AZURE_OPENAI_API_KEY: 'k' }, 'AZURE_OPENAI_ENDPOINT');
    assertRejects(
      { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_DEPLOYMENT_NAME: 'd' },
      'AZURE_OPENAI_API_KEY',
    );
    assertRejects({ AZURE_OPENAI_ENDPOINT: 'http://x.openai.azure.com' }, 'AZURE_OPENAI_ENDPOINT', /https/);
    assertRejects({ OPENAI_API_KEY: 'k', AZURE_OPENAI_API_KEY: 'k' }, 'AZURE_OPENAI_ENDPOINT', /not both/);
    assertRejects({ OPENAI_MODEL: 'gpt-4o' }, 'OPENAI_API_KEY');
    assertRejects({ OPENAI_BASE_URL: 'not a url' }, 'OPENAI_BASE_URL');
  });

  it('validates the bot identity for each BOT_TYPE', () => {
    const id = '3f2c6a8e-1d4b-4f7a-9c2e-5b8d7e6f1a20';
    assert.deepEqual(loadConfig({ BOT_ID: id, BOT_PASSWORD: 'p' }).bot, {
      kind: 'MultiTenant',
      appId: id,
      appPassword: 'p',
    });
    assert.equal(
      loadConfig({ BOT_ID: id, BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: 't' }).bot.kind,
      'UserAssignedMSI',
    );
    assertRejects({ BOT_ID: id }, 'BOT_PASSWORD');
    assertRejects({ BOT_ID: id, BOT_PASSWORD: 'p', BOT_TYPE: 'SingleTenant' }, 'BOT_TENANT_ID');
    assertRejects({ BOT_PASSWORD: 'p' }, 'BOT_ID');
    assertRejects({ BOT_ID: 'not-a-guid', BOT_PASSWORD: 'p' }, 'BOT_ID', /GUID/);
    assertRejects({ BOT_ID: id, BOT_PASSWORD: 'p', BOT_TYPE: 'Other' }, 'BOT_TYPE');
    assertRejects(
      { BOT_ID: id, BOT_PASSWORD: 'p', BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: 't' },
      'BOT_PASSWORD',
    );
  });

  it('takes an optional http(s) KNOWLEDGE_BASE_URL and rejects anything else in one line naming it', () => {
    assert.equal(loadConfig({}).knowledge.baseUrl, undefined);
    assert.equal(
      loadConfig({ KNOWLEDGE_BASE_URL: 'https://wiki.example.com/kb' }).knowledge.baseUrl,
      'https://wiki.example.com/kb',
    );
    assertRejects({ KNOWLEDGE_BASE_URL: 'wiki.example.com/kb' }, 'KNOWLEDGE_BASE_URL', /http/);
    assertRejects({ KNOWLEDGE_BASE_URL: 'ftp://files.example.com/kb' }, 'KNOWLEDGE_BASE_URL', /http/);
    assertRejects({ KNOWLEDGE_BASE_URL: 'javascript:alert(1)' }, 'KNOWLEDGE_BASE_URL', /http/);
  });

  it('takes an optional ADMIN_TOKEN of at least 16 characters', () => {
    assert.equal(loadConfig({}).admin.token, undefined);
    assert.equal(loadConfig({ ADMIN_TOKEN: 'a-long-enough-token' }).admin.token, 'a-long-enough-token');
    assertRejects({ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN', /16/);
  });

  it('uses SQLite unless DATABASE_URL names a PostgreSQL server', () => {
    assert.equal(loadConfig({}).storage.postgres, undefined);
    const url = 'postgresql://bot:s3cret@db.example.com:5432/bot?sslmode=require';
    assert.deepEqual(loadConfig({ DATABASE_URL: url }).storage.postgres, { url, poolSize: 10 });
    assert.deepEqual(
      loadConfig({ DATABASE_URL: 'postgres://localhost/bot', DATABASE_POOL_SIZE: '25' }).storage.postgres,
      {
        url: 'postgres://localhost/bot',
        poolSize: 25,
      },
    );
  });

  it('rejects a DATABASE_URL that is not postgres:// or postgresql://, without echoing it', () => {
    for (const url of ['mysql://bot:s3cret@db/bot', 'sqlite:data/bot.sqlite', 'not a url s3cret']) {
      assertRejects({ DATABASE_URL: url }, 'DATABASE_URL', /postgres:\/\/ or postgresql:\/\//);
      assert.throws(
        () => loadConfig({ DATABASE_URL: url }),
        (error: unknown) => error instanceof Error && !error.message.includes('s3cret'),
      );
    }
    assertRejects(
      { DATABASE_URL: 'postgres://localhost/bot', DATABASE_POOL_SIZE: '0' },
      'DATABASE_POOL_SIZE',
    );
  });

  it('runs one process unless BOT_PROCESSES asks for a number of them or auto (one per core)', () => {
    assert.equal(loadConfig({}).server.processes, 1);
    assert.equal(loadConfig({ BOT_PROCESSES: '4' }).server.processes, 4);
    assert.equal(loadConfig({ BOT_PROCESSES: 'auto' }).server.processes, os.availableParallelism());
    assert.equal(loadConfig({ BOT_PROCESSES: ' AUTO ' }).server.processes, os.availableParallelism());
    assertRejects({ BOT_PROCESSES: 'two' }, 'BOT_PROCESSES', /auto/);
    assertRejects({ BOT_PROCESSES: '0' }, 'BOT_PROCESSES', /at least 1/);
    assertRejects({ BOT_PROCESSES: '1.5' }, 'BOT_PROCESSES');
    assertRejects({ BOT_PROCESSES: '-2' }, 'BOT_PROCESSES');
    assertRejects({ BOT_PROCESSES: '1000' }, 'BOT_PROCESSES', /at most 64/);
  });

  describe('HOST', () => {
    const botId = { BOT_ID: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', BOT_PASSWORD: 'p' };

    it('listens on loopback only in anonymous mode (no BOT_ID) unless HOST is set', () => {
      assert.equal(loadConfig({}).server.host, '127.0.0.1');
      assert.equal(loadConfig({ HOST: '  ' }).server.host, '127.0.0.1', 'an empty HOST counts as unset');
      assert.equal(loadConfig({ HOST: '0.0.0.0' }).server.host, '0.0.0.0');
      assert.equal(loadConfig({ HOST: '::1' }).server.host, '::1');
    });

    it('listens on every interface with BOT_ID unless HOST is set', () => {
      assert.equal(loadConfig(botId).server.host, '0.0.0.0');
      assert.equal(loadConfig({ ...botId, HOST: '10.0.0.4' }).server.host, '10.0.0.4');
    });
  });

  it('rejects a PORT that is not a port number', () => {
    assertRejects({ PORT: 'eighty' }, 'PORT');
    assertRejects({ PORT: '70000' }, 'PORT');
  });

  describe('security settings', () => {
    const id = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

    it('refuses to start in production without bot credentials, in one line naming BOT_ID', () => {
      assertRejects({ NODE_ENV: 'production' }, 'BOT_ID', /NODE_ENV=production.*local development/);
      const config = loadConfig({ NODE_ENV: 'production', BOT_ID: id, BOT_PASSWORD: 'p' });
      assert.equal(config.production, true);
      assert.equal(config.bot.kind, 'MultiTenant');
    });

    it('allows loopback service URLs outside production only', () => {
      assert.equal(loadConfig({}).outbound.allowLoopback, true);
      assert.equal(loadConfig({ NODE_ENV: 'development' }).outbound.allowLoopback, true);
      const production = loadConfig({ NODE_ENV: 'production', BOT_ID: id, BOT_PASSWORD: 'p' });
      assert.equal(production.outbound.allowLoopback, false);
    });

    it('reads extra service URL hosts, lower-cased, and rejects anything that is not a host name', () => {
      const config = loadConfig({
        ALLOWED_SERVICE_URL_HOSTS: ' SMBA.teams.sovcloud-core.fr, *.bots.contoso.com ,',
      });
      assert.deepEqual(config.outbound.extraServiceUrlHosts, [
        'smba.teams.sovcloud-core.fr',
        '*.bots.contoso.com',
      ]);
      assert.deepEqual(loadConfig({}).outbound.extraServiceUrlHosts, []);
      assertRejects({ ALLOWED_SERVICE_URL_HOSTS: 'https://evil.example' }, 'ALLOWED_SERVICE_URL_HOSTS');
      assertRejects({ ALLOWED_SERVICE_URL_HOSTS: '*' }, 'ALLOWED_SERVICE_URL_HOSTS');
      assertRejects({ ALLOWED_SERVICE_URL_HOSTS: 'a.example/path' }, 'ALLOWED_SERVICE_URL_HOSTS');
    });

    it('leaves the Bot Framework authentication endpoints at botbuilder’s defaults unless overridden, and wants https in production', () => {
      assert.deepEqual(loadConfig({}).botAuthentication, {
        openIdMetadataUrl: undefined,
        tokenIssuer: undefined,
        loginUrl: undefined,
      });
      const local = loadConfig({
        BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/openid',
        BOT_TOKEN_ISSUER: 'https://issuer.test',
      });
      assert.equal(local.botAuthentication.openIdMetadataUrl, 'http://127.0.0.1:9/openid');
      assertRejects({ BOT_OPENID_METADATA_URL: 'not a url' }, 'BOT_OPENID_METADATA_URL');
      assertRejects(
        {
          NODE_ENV: 'production',
          BOT_ID: id,
          BOT_PASSWORD: 'p',
          BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/o',
        },
        'BOT_OPENID_METADATA_URL',
        /https/,
      );
    });

    it('lists the secret values for the logger to remove', () => {
      const config = loadConfig({
        BOT_ID: id,
        BOT_PASSWORD: 'bot-client-secret',
        OPENAI_API_KEY: 'sk-test-key',
        ADMIN_TOKEN: 'an-admin-token-value',
        DATABASE_URL: 'postgres://bot:p%40ss-word@db.example.com:5432/bot',
      });
      assert.deepEqual(secretValues(config).sort(), [
        'an-admin-token-value',
        'bot-client-secret',
        'p@ss-word',
        'postgres://bot:p%40ss-word@db.example.com:5432/bot',
        'sk-test-key',
      ]);
      assert.deepEqual(secretValues(loadConfig({})), []);
    });
  });

  it('reads ALLOWED_TENANTS as lower-case GUIDs and refuses anything else naming the variable', () => {
    const a = '6B1F9C2E-2F0A-4F57-9D3C-3A6A1B2C4D5E';
    const b = 'a0d3e7c1-8b9f-4e2a-b6c4-7f1e2d3c4b5a';
    assert.equal(loadConfig({}).tenants.allowed, undefined, 'unset: every tenant');
    assert.deepEqual(loadConfig({ ALLOWED_TENANTS: ` ${a} , ${b},` }).tenants.allowed, [a.toLowerCase(), b]);
    assertRejects({ ALLOWED_TENANTS: `${a},contoso.onmicrosoft.com` }, 'ALLOWED_TENANTS', /GUIDs/);
    assertRejects({ ALLOWED_TENANTS: ',' }, 'ALLOWED_TENANTS', /at least one/);
  });

  it('reads RETENTION_DAYS: unset or 0 keeps data forever, a positive whole number of days deletes older data', () => {
    assert.equal(loadConfig({}).retention.days, undefined);
    assert.equal(loadConfig({ RETENTION_DAYS: '0' }).retention.days, undefined);
    assert.equal(loadConfig({ RETENTION_DAYS: '90' }).retention.days, 90);
    assertRejects({ RETENTION_DAYS: '-1' }, 'RETENTION_DAYS');
    assertRejects({ RETENTION_DAYS: '1.5' }, 'RETENTION_DAYS', /whole number/);
    assertRejects({ RETENTION_DAYS: 'forever' }, 'RETENTION_DAYS');
  });
});

describe('loadConfig: EMBEDDINGS_MODEL', () => {
  it('is off by default (lexical search) and names the model or deployment when set', () => {
    assert.equal(loadConfig({}).embeddings, undefined);
    assert.deepEqual(loadConfig({ EMBEDDINGS_MODEL: 'text-embedding-3-small' }).embeddings, {
      model: 'text-embedding-3-small',
    });
  });

  it('stops startup with one line naming the variable for a bad name', () => {
    assert.throws(
      () => loadConfig({ EMBEDDINGS_MODEL: 'text embedding 3' }),
      (error: unknown) =>
        error instanceof ConfigError && /^EMBEDDINGS_MODEL: must be an embeddings model/.test(error.message),
    );
  });
});
