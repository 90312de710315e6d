import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { decodePng, readPngHeader } from './png';
import {
  fillPlaceholders,
  isRecord,
  nonEmptyKeys,
  placeholdersIn,
  readBicep,
  readEnvFile,
  readProjectFile,
  readToolkitProject,
  repoRoot,
  variablesWrittenByActions,
} from './toolkitProject';

const MANIFEST_PATH = 'appPackage/manifest.json';

/** Realistic values for every placeholder manifest.json may use, as provision would fill them. */
const TEST_VALUES: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '0b7e5f6c-2a3d-4e1f-9a8b-7c6d5e4f3a21',
  BOT_ID: '5c1d9e8f-7a6b-4c3d-8e2f-1a0b9c8d7e6f',
  BOT_DOMAIN: 'streamast4f2a9c.azurewebsites.net',
  APP_NAME_SUFFIX: '-dev',
};

/**
 * Placeholders of manifest.json that the "dev" provision (teamsapp.yml) produces rather than
 * env/.env.dev: the action or Bicep output that writes each. Checked against the files below.
 */
const PRODUCED_BY_PROVISION: Readonly<Record<string, { action: string; bicepOutput?: boolean }>> = {
  TEAMS_APP_ID: { action: 'teamsApp/create' },
  BOT_ID: { action: 'arm/deploy', bicepOutput: true },
  BOT_DOMAIN: { action: 'arm/deploy', bicepOutput: true },
};

/** Where @microsoft/app-manifest keeps the official Teams manifest JSON schemas. */
const SCHEMA_ROOT = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
);

function readManifestTemplate(): string {
  return readProjectFile(MANIFEST_PATH);
}

function filledManifest(): Record<string, unknown> {
  const parsed: unknown = JSON.parse(fillPlaceholders(readManifestTemplate(), TEST_VALUES));
  assert.ok(isRecord(parsed), 'manifest.json must hold a JSON object');
  return parsed;
}

/**
 * Compiles the official schema of a manifest version like the toolkit does: draft-04 with
 * ajv-draft-04, after replacing the `\a` / `\v` escapes that JavaScript's unicode regular
 * expressions reject (https://github.com/OfficeDev/microsoft-teams-app-schema/issues/190).
 */
function compileManifestSchema(manifestVersion: string): ValidateFunction {
  const raw = readFileSync(
    path.join(SCHEMA_ROOT, `v${manifestVersion}`, 'MicrosoftTeams.schema.json'),
    'utf8',
  );
  const schema = JSON.parse(raw.replace(/\\\\a/g, '\\u0007').replace(/\\\\v/g, '\\u000b')) as Record<
    string,
    unknown
  >;
  assert.match(String(schema.$schema), /draft-04/, 'the Teams manifest schemas are JSON Schema draft-04');
  const ajv = new Ajv04({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}

function manifestVersionOf(manifest: Record<string, unknown>): string {
  const version = manifest.manifestVersion;
  assert.equal(typeof version, 'string');
  return version as string;
}

describe('Teams app manifest (appPackage/manifest.json)', () => {
  let validate: ValidateFunction;
  let manifest: Record<string, unknown>;

  before(() => {
    manifest = filledManifest();
    validate = compileManifestSchema(manifestVersionOf(manifest));
  });

  it('uses a released (not devPreview) schema version of 1.19 or newer that ships with @microsoft/app-manifest', () => {
    const version = manifestVersionOf(manifest);
    assert.match(version, /^1\.\d+$/);
    assert.ok(Number(version.split('.')[1]) >= 19, `manifestVersion ${version} is older than 1.19`);
    assert.ok(existsSync(path.join(SCHEMA_ROOT, `v${version}`, 'MicrosoftTeams.schema.json')));
    assert.equal(
      manifest.$schema,
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    );
  });

  it('validates against the official JSON schema once its placeholders are filled', () => {
    const valid = validate(manifest);
    assert.equal(valid, true, describeErrors(validate.errors));
  });

  it('fails validation when a field is wrong, so the check above can catch mistakes', () => {
    const badId = { ...manifest, id: 'not-a-guid' };
    assert.equal(validate(badId), false);
    assert.ok(
      validate.errors?.some((e) => e.instancePath === '/id'),
      describeErrors(validate.errors),
    );

    const bots = manifest.bots as Record<string, unknown>[];
    const badScope = { ...manifest, bots: [{ ...bots[0], scopes: ['personal', 'everywhere'] }] };
    assert.equal(validate(badScope), false);

    const unknownField = { ...manifest, botsList: [] };
    assert.equal(validate(unknownField), false);
  });

  it('takes its app id, bot id and domain from toolkit placeholders', () => {
    const template = JSON.parse(readManifestTemplate()) as Record<string, unknown>;
    assert.equal(template.id, '${{TEAMS_APP_ID}}');
    const [bot] = template.bots as Record<string, unknown>[];
    assert.equal(bot?.botId, '${{BOT_ID}}');
    assert.deepEqual(template.validDomains, ['${{BOT_DOMAIN}}']);
  });

  it('declares a conversational bot for personal, team, group chat and Copilot with a command list per scope', () => {
    const [bot, ...others] = manifest.bots as Record<string, unknown>[];
    assert.equal(others.length, 0);
    assert.ok(bot);
    assert.deepEqual([...(bot.scopes as string[])].sort(), ['copilot', 'groupChat', 'personal', 'team']);
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);

    const lists = bot.commandLists as { scopes: string[]; commands: { title: string }[] }[];
    for (const scope of ['personal', 'team', 'groupChat']) {
      const matching = lists.filter((list) => list.scopes.includes(scope));
      assert.equal(matching.length, 1, `exactly one command list for ${scope}`);
      const titles = matching[0].commands.map((c) => c.title);
      assert.ok(titles.includes('Search the knowledge base'), `${scope}: ${titles.join(', ')}`);
      assert.ok(titles.includes('Help'), `${scope}: ${titles.join(', ')}`);
    }
    const personal = lists.find((list) => list.scopes.includes('personal'))!;
    assert.ok(personal.scopes.includes('copilot'), 'Copilot Chat shows the personal commands');
    assert.ok(personal.commands.some((c) => c.title === 'My work items'));
  });

  it('is named Stream Assistant and lists Contoso with https links', () => {
    const name = manifest.name as { short: string; full: string };
    assert.equal(name.short, 'Stream Assistant-dev');
    assert.ok(name.full.startsWith('Stream Assistant'));
    const developer = manifest.developer as Record<string, string>;
    assert.equal(developer.name, 'Contoso');
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      assert.match(developer[key] ?? '', /^https:\/\//, key);
    }
  });

  it('uses only placeholders that env/.env.dev defines or that the dev provision produces', () => {
    const env = readEnvFile('env/.env.dev');
    const defined = nonEmptyKeys(env);
    const project = readToolkitProject('teamsapp.yml');
    const written = variablesWrittenByActions(project);
    const actions = new Set((project.provision ?? []).map((a) => a.uses));
    const outputs = new Set(readBicep('infra/azure.bicep').outputs);

    for (const name of placeholdersIn(readManifestTemplate())) {
      // The toolkit accepts an empty APP_NAME_SUFFIX; every other placeholder needs a value.
      if (name === 'APP_NAME_SUFFIX' && env.has(name)) continue;
      if (defined.has(name)) continue;
      const producer = PRODUCED_BY_PROVISION[name];
      assert.ok(producer, `${name} is neither set in env/.env.dev nor listed as produced by provision`);
      assert.ok(actions.has(producer.action), `teamsapp.yml provision has no ${producer.action} for ${name}`);
      if (producer.bicepOutput) {
        assert.ok(outputs.has(name), `infra/azure.bicep has no output ${name}`);
      } else {
        assert.equal(written.get(name), producer.action, `${producer.action} must write ${name}`);
      }
      assert.ok(env.has(name), `env/.env.dev should list ${name}= so readers see where it comes from`);
    }
  });
});

/** The custom engine agent entries of a manifest (Microsoft 365 Copilot Chat). */
interface CustomEngineAgent {
  type?: unknown;
  id?: unknown;
  disclaimer?: { text?: unknown };
}

function customEngineAgentsOf(manifest: Record<string, unknown>): CustomEngineAgent[] {
  const copilotAgents = manifest.copilotAgents as { customEngineAgents?: unknown } | undefined;
  assert.ok(Array.isArray(copilotAgents?.customEngineAgents), 'copilotAgents.customEngineAgents is a list');
  return copilotAgents.customEngineAgents as CustomEngineAgent[];
}

/** A copy of the manifest whose single custom engine agent is replaced by `agent`. */
function withAgent(manifest: Record<string, unknown>, agent: unknown): Record<string, unknown> {
  return { ...manifest, copilotAgents: { customEngineAgents: [agent] } };
}

describe('Microsoft 365 Copilot Chat custom engine agent (manifest copilotAgents)', () => {
  let validate: ValidateFunction;
  let manifest: Record<string, unknown>;

  before(() => {
    manifest = filledManifest();
    validate = compileManifestSchema(manifestVersionOf(manifest));
  });

  it('is defined by the official schema of the declared manifest version', () => {
    const raw = readFileSync(
      path.join(SCHEMA_ROOT, `v${manifestVersionOf(manifest)}`, 'MicrosoftTeams.schema.json'),
      'utf8',
    );
    const schema = JSON.parse(raw) as {
      properties: { copilotAgents?: { properties?: Record<string, unknown> } };
    };
    assert.ok(schema.properties.copilotAgents?.properties?.customEngineAgents);
  });

  it('declares exactly one custom engine agent of type bot, with the bots entry’s placeholder as its id', () => {
    const template = JSON.parse(readManifestTemplate()) as Record<string, unknown>;
    const [agent, ...others] = customEngineAgentsOf(template);
    assert.equal(others.length, 0);
    assert.equal(agent?.type, 'bot');
    assert.equal(agent?.id, '${{BOT_ID}}');
  });

  it('names a bot of the bots list that has the personal scope', () => {
    const [agent] = customEngineAgentsOf(manifest);
    const bots = manifest.bots as Array<{ botId: string; scopes: string[] }>;
    const bot = bots.find((candidate) => candidate.botId === agent?.id);
    assert.ok(bot, `custom engine agent id ${String(agent?.id)} is the id of a bot in bots`);
    assert.ok(bot.scopes.includes('personal'), 'the agent’s bot has the personal scope');
  });

  it('shows a disclaimer of at most 500 characters, and the app has a short name and short description', () => {
    const [agent] = customEngineAgentsOf(manifest);
    const text = agent?.disclaimer?.text;
    assert.equal(typeof text, 'string');
    assert.ok((text as string).trim().length > 0, 'the disclaimer says something');
    assert.ok((text as string).length <= 500, `the disclaimer has ${(text as string).length} characters`);
    const name = manifest.name as { short?: string };
    const description = manifest.description as { short?: string };
    assert.ok(name.short?.trim(), 'name.short is set');
    assert.ok(description.short?.trim(), 'description.short is set');
  });

  it('fails schema validation when copilotAgents is malformed', () => {
    const [agent] = customEngineAgentsOf(manifest);
    const corrupted: Array<[string, Record<string, unknown>]> = [
      ['an unknown agent type', withAgent(manifest, { ...agent, type: 'plugin' })],
      ['no id', withAgent(manifest, { type: agent?.type, disclaimer: agent?.disclaimer })],
      ['an id that is not a GUID', withAgent(manifest, { ...agent, id: 'stream-assistant' })],
      [
        'a disclaimer over 500 characters',
        withAgent(manifest, { ...agent, disclaimer: { text: 'x'.repeat(501) } }),
      ],
      ['a disclaimer without text', withAgent(manifest, { ...agent, disclaimer: {} })],
      ['an unknown field', withAgent(manifest, { ...agent, botId: agent?.id })],
      ['two agents', { ...manifest, copilotAgents: { customEngineAgents: [agent, agent] } }],
      ['no agents', { ...manifest, copilotAgents: { customEngineAgents: [] } }],
      ['an unknown kind of agent list', { ...manifest, copilotAgents: { customAgents: [agent] } }],
    ];
    for (const [what, copy] of corrupted) {
      assert.equal(validate(copy), false, `a custom engine agent with ${what} must fail validation`);
      assert.ok(
        validate.errors?.some((e) => e.instancePath.startsWith('/copilotAgents')),
        `${what}: ${describeErrors(validate.errors)}`,
      );
    }
  });
});

describe('Teams app icons', () => {
  const iconPath = (kind: 'color' | 'outline'): string => {
    const icons = (JSON.parse(readManifestTemplate()) as { icons: Record<string, string> }).icons;
    return path.join(repoRoot, 'appPackage', icons[kind]);
  };

  it('has a 192x192 full-colour color icon', () => {
    const file = readFileSync(iconPath('color'));
    const header = readPngHeader(file);
    assert.deepEqual([header.width, header.height], [192, 192]);
    assert.ok([2, 6].includes(header.colourType), `colour type ${header.colourType} is not truecolour`);

    const png = decodePng(file);
    const hasColour = png.rows.some((row) => {
      for (let i = 0; i < row.length; i += png.channels) {
        if (row[i] !== row[i + 1] || row[i + 1] !== row[i + 2]) return true;
      }
      return false;
    });
    assert.ok(hasColour, 'color.png holds only grey pixels');
  });

  it('has a 32x32 outline icon with an alpha channel, white on transparent', () => {
    const file = readFileSync(iconPath('outline'));
    const header = readPngHeader(file);
    assert.deepEqual([header.width, header.height], [32, 32]);
    assert.equal(header.colourType, 6, 'outline.png must be RGBA (colour type 6)');

    const png = decodePng(file);
    let drawn = 0;
    png.rows.forEach((row, y) => {
      for (let x = 0; x < png.width; x++) {
        const [r, g, b, a] = row.subarray(x * 4, x * 4 + 4);
        if (a === 0) continue;
        drawn++;
        assert.deepEqual([r, g, b], [255, 255, 255], `pixel (${x}, ${y}) is visible but not white`);
      }
    });
    assert.ok(drawn > 32, `outline.png draws only ${drawn} pixels`);
    assert.ok(drawn < 32 * 32 * 0.75, 'outline.png is mostly opaque: the background must be transparent');
  });
});
