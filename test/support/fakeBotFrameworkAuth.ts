import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

/** The claims of a Bot Connector token that the tests vary. */
export interface ChannelTokenClaims {
  /** The bot's app id (the token's audience). */
  audience: string;
  /** Must equal activity.serviceUrl. */
  serviceUrl: string;
  /** Default: the issuer this server stands for. */
  issuer?: string;
  /** Seconds from now until expiry; negative for an expired token. Default one hour. */
  expiresInSeconds?: number;
  /** Sign with a key the server does not publish (same key id): a bad signature. */
  signWithForeignKey?: boolean;
}

/**
 * A stand-in for the Bot Framework's token service as the bot sees it when validating inbound requests: an
 * OpenID metadata document and a JWKS with one RSA key (endorsed for `msteams`), on 127.0.0.1. Tokens are
 * minted with the matching private key, exactly in the shape the Bot Connector sends (RS256, `kid` header,
 * `iss`, `aud`, `serviceurl`, `nbf`, `exp`).
 */
export interface FakeBotFrameworkAuth {
  /** For BOT_OPENID_METADATA_URL. */
  readonly openIdMetadataUrl: string;
  /** For BOT_TOKEN_ISSUER. */
  readonly issuer: string;
  /** How many times the JWKS was fetched. */
  readonly keyFetches: number;
  /** A signed token; use as `Authorization: Bearer <token>`. */
  mintChannelToken(claims: ChannelTokenClaims): string;
  close(): Promise<void>;
}

/** Starts the fake on an ephemeral port; `close()` stops it. */
export async function startFakeBotFrameworkAuth(): Promise<FakeBotFrameworkAuth> {
  const keyId = `test-key-${randomUUID()}`;
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = signing.publicKey.export({ format: 'jwk' });
  let keyFetches = 0;
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/v1/.well-known/openidconfiguration') {
      json({
        issuer: issuerUrl(),
        authorization_endpoint: `${baseUrl}/v1/.well-known/authorize`,
        jwks_uri: `${baseUrl}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    } else if (req.url === '/v1/.well-known/keys') {
      keyFetches += 1;
      json({
        keys: [
          { kty: 'RSA', use: 'sig', kid: keyId, n: publicJwk.n, e: publicJwk.e, endorsements: ['msteams'] },
        ],
      });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuerUrl = () => `https://api.botframework.test/${(server.address() as AddressInfo).port}`;
  const issuer = issuerUrl();

  const sign = (payload: object, key: KeyObject, expiresInSeconds: number) => {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign({ ...payload, nbf: now - 60, iat: now - 60, exp: now + expiresInSeconds }, key, {
      algorithm: 'RS256',
      keyid: keyId,
    });
  };

  return {
    openIdMetadataUrl: `${baseUrl}/v1/.well-known/openidconfiguration`,
    issuer,
    get keyFetches() {
      return keyFetches;
    },
    mintChannelToken: (claims) =>
      sign(
        { iss: claims.issuer ?? issuer, aud: claims.audience, serviceurl: claims.serviceUrl },
        claims.signWithForeignKey ? foreign.privateKey : signing.privateKey,
        claims.expiresInSeconds ?? 3600,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
