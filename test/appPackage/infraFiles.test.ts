import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_VARIABLES } from '../../src/config';
import ignore from 'ignore';
import {
  allActions,
  findUnbalancedBracket,
  isRecord,
  nonEmptyKeys,
  placeholdersIn,
  readBicep,
  readEnvFile,
  readProjectFile,
  readProjectJson,
  readToolkitProject,
  repoRoot,
  variablesWrittenByActions,
  type ToolkitProject,
} from './toolkitProject';

/** The yaml schema version of all three project files: that of the current Agents Toolkit templates. */
const YAML_SCHEMA_VERSION = 'v1.11';

/** Action names of yaml schema v1.11 (https://aka.ms/teamsfx-actions) that these files may use. */
const KNOWN_ACTIONS = new Set([
  'aadApp/create',
  'aadApp/update',
  'arm/deploy',
  'azureAppService/zipDeploy',
  'botAadApp/create',
  'botFramework/create',
  'cli/runNpmCommand',
  'devTool/install',
  'file/createOrUpdateEnvironmentFile',
  'script',
  'teamsApp/create',
  'teamsApp/extendToM365',
  'teamsApp/publishAppPackage',
  'teamsApp/update',
  'teamsApp/validateAppPackage',
  'teamsApp/validateManifest',
  'teamsApp/zipAppPackage',
]);

/** The Node.js major the web app runs on (App Service `NODE|<major>-lts`): an LTS line, Node 20 being end of life. */
const DEPLOY_NODE_MAJOR = 22;

/** Environment variables the bot reads (src/config); app settings and .localConfigs may set only these. */
const BOT_SETTINGS = new Set(ENVIRONMENT_VARIABLES);

/** App Service platform settings the web app also sets. */
const PLATFORM_SETTINGS = new Set(['SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITES_ENABLE_APP_SERVICE_STORAGE']);

/** Values the toolkit supplies itself during provision (asks for, generates or sets). */
const SUPPLIED_BY_TOOLKIT = new Set([
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP_NAME',
  'RESOURCE_SUFFIX',
]);

/** Values of env "dev" the developer fills in before the first provision (which model to use). */
const FILLED_IN_FOR_DEV = new Set([
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_DEPLOYMENT_NAME',
  'AZURE_OPENAI_RESOURCE_ID',
]);

/** Values of env "local" that the dev tunnel (VS Code task, or the developer) sets in env/.env.local. */
const SET_BY_DEV_TUNNEL = new Set(['BOT_ENDPOINT', 'BOT_DOMAIN']);

const PARAMETER_FILES = readdirSync(path.join(repoRoot, 'infra'))
  .filter((name) => /^azure\.parameters(\.[\w-]+)?\.json$/.test(name))
  .map((name) => `infra/${name}`);

interface ParametersFile {
  parameters: Record<string, { value: unknown }>;
}

function readParameters(relativePath: string): ParametersFile {
  const parsed = readProjectJson(relativePath);
  assert.ok(isRecord(parsed) && isRecord(parsed.parameters), `${relativePath} has no "parameters" object`);
  for (const [name, entry] of Object.entries(parsed.parameters)) {
    assert.ok(isRecord(entry) && 'value' in entry, `${relativePath}: parameter ${name} has no "value"`);
  }
  return parsed as unknown as ParametersFile;
}

/** Secrets a developer puts into env/.env.<name>.user, as listed by the committed example file. */
function exampleSecrets(envName: string): Set<string> {
  return new Set(readEnvFile(`env/.env.${envName}.user.example`).keys());
}

/**
 * Asserts that every placeholder of a file can be resolved in an environment: the toolkit rejects an
 * empty variable (only APP_NAME_SUFFIX may be empty), so each one must be set in the env file, be
 * written by an action, or come from one of the listed other sources.
 */
function assertResolvable(
  file: string,
  placeholders: Iterable<string>,
  env: Map<string, string>,
  sources: ReadonlyMap<string, ReadonlySet<string>>,
): void {
  const defined = nonEmptyKeys(env);
  for (const name of placeholders) {
    if (name === 'APP_NAME_SUFFIX' && env.has(name)) continue;
    if (defined.has(name)) continue;
    const source = [...sources].find(([, names]) => names.has(name));
    assert.ok(source, `${file}: \${{${name}}} is empty in the env file and nothing produces it`);
  }
}

function envsOfEnvironmentFileAction(project: ToolkitProject, target: string): Record<string, unknown> {
  const action = allActions(project).find(
    (a) => a.uses === 'file/createOrUpdateEnvironmentFile' && a.with?.target === target,
  );
  assert.ok(action, `no file/createOrUpdateEnvironmentFile action writes ${target}`);
  assert.ok(isRecord(action.with?.envs));
  return action.with.envs;
}

describe('Azure infrastructure (infra/)', () => {
  const bicep = readBicep('infra/azure.bicep');
  const declared = new Map(bicep.params.map((p) => [p.name, p]));

  it('has parameter files, the default one included', () => {
    assert.ok(PARAMETER_FILES.includes('infra/azure.parameters.json'), PARAMETER_FILES.join(', '));
  });

  for (const file of PARAMETER_FILES) {
    it(`${file} parses and sets only parameters that azure.bicep declares`, () => {
      const { parameters } = readParameters(file);
      for (const name of Object.keys(parameters)) {
        assert.ok(declared.has(name), `${file} sets ${name}, which azure.bicep does not declare`);
      }
    });

    it(`${file} sets every azure.bicep parameter that has no default`, () => {
      const { parameters } = readParameters(file);
      for (const param of bicep.params.filter((p) => !p.hasDefault)) {
        assert.ok(param.name in parameters, `${file} does not set the required parameter ${param.name}`);
      }
    });

    it(`${file} uses only placeholders that the dev environment can resolve`, () => {
      assertResolvable(
        file,
        placeholdersIn(readProjectFile(file)),
        readEnvFile('env/.env.dev'),
        new Map([
          ['the toolkit', SUPPLIED_BY_TOOLKIT],
          ['the developer', FILLED_IN_FOR_DEV],
          ['env/.env.dev.user', exampleSecrets('dev')],
        ]),
      );
    });
  }

  it('lists in env/.env.dev every value the developer fills in for dev', () => {
    const env = readEnvFile('env/.env.dev');
    for (const name of [...FILLED_IN_FOR_DEV, ...SUPPLIED_BY_TOOLKIT]) {
      assert.ok(env.has(name), `env/.env.dev should list ${name}=`);
    }
  });

  it('declares as outputs the Bicep values that teamsapp.yml and the manifest rely on', () => {
    const outputs = new Set(bicep.outputs);
    // deploy: azureAppService/zipDeploy resourceId; manifest: botId and validDomains.
    for (const name of ['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_ID', 'BOT_DOMAIN', 'BOT_TENANT_ID']) {
      assert.ok(outputs.has(name), `azure.bicep has no output ${name}`);
    }
    for (const name of outputs) {
      assert.match(name, /^[A-Z][A-Z0-9_]*$/, 'the toolkit writes outputs upper-cased: name them that way');
    }
  });

  it('passes each module exactly the parameters the module declares, and all the required ones', () => {
    for (const file of ['infra/azure.bicep']) {
      for (const module of readBicep(file).modules) {
        const modulePath = path.posix.join(path.posix.dirname(file), module.path);
        assert.ok(
          existsSync(path.join(repoRoot, modulePath)),
          `${file}: module ${module.path} does not exist`,
        );
        const moduleParams = readBicep(modulePath).params;
        const names = new Set(moduleParams.map((p) => p.name));
        for (const passed of module.params) {
          assert.ok(
            names.has(passed),
            `${file} passes ${passed} to ${module.path}, which does not declare it`,
          );
        }
        for (const required of moduleParams.filter((p) => !p.hasDefault)) {
          assert.ok(
            module.params.includes(required.name),
            `${file} does not pass ${required.name} to ${module.path}`,
          );
        }
      }
    }
  });

  it('has balanced brackets in every Bicep file', () => {
    const files = [
      'infra/azure.bicep',
      ...readBicep('infra/azure.bicep').modules.map((m) => path.posix.join('infra', m.path)),
    ];
    for (const file of files) {
      const problem = findUnbalancedBracket(readProjectFile(file));
      assert.equal(problem, undefined, `${file}: ${problem}`);
    }
  });

  it('catches an unbalanced bracket (the check above can fail)', () => {
    assert.match(findUnbalancedBracket("resource a 'x' = {\n  p: [\n}\n") ?? '', /does not close/);
    assert.match(findUnbalancedBracket('var a = concat([1], [2]\n') ?? '', /never closed/);
    assert.equal(findUnbalancedBracket("var a = '}' // ]\n"), undefined);
  });

  it('runs the web app on the Node LTS of .nvmrc, a line package.json "engines" admits, and nowhere else', () => {
    const text = readProjectFile('infra/azure.bicep');
    const stacks = Array.from(text.matchAll(/linuxFxVersion: 'NODE\|(\d+)-lts'/g), (m) => Number(m[1]));
    assert.deepEqual(stacks, [DEPLOY_NODE_MAJOR], 'one linuxFxVersion, on the deploy target');
    assert.ok(
      !/WEBSITE_NODE_DEFAULT_VERSION/.test(text),
      'a Windows-only setting; Linux uses linuxFxVersion',
    );
    assert.equal(readProjectFile('.nvmrc').trim(), String(DEPLOY_NODE_MAJOR));
    const pkg = readProjectJson('package.json') as { engines?: { node?: string } };
    const lines = (pkg.engines?.node ?? '').split('||').map((range) => range.trim());
    assert.ok(lines.includes(`^${DEPLOY_NODE_MAJOR}.12.0`), `engines.node ${pkg.engines?.node}`);
    // Node 20 stays admitted while machines and CI still run it (.ci/run tests on both).
    assert.ok(lines.includes('^20.19.0'), `engines.node ${pkg.engines?.node}`);
  });

  it('configures the web app for Linux with HTTPS only and the bot identity', () => {
    const text = readProjectFile('infra/azure.bicep');
    for (const expected of [
      'httpsOnly: true',
      "minTlsVersion: '1.2'",
      "ftpsState: 'Disabled'",
      'alwaysOn: true',
      "appCommandLine: 'node build/src/index.js'",
      "type: 'UserAssigned'",
    ]) {
      assert.ok(text.includes(expected), `azure.bicep lacks ${expected}`);
    }
    const bot = readProjectFile('infra/botRegistration/azurebot.bicep');
    for (const expected of [
      "msaAppType: 'UserAssignedMSI'",
      'msaAppMSIResourceId:',
      "channelName: 'MsTeamsChannel'",
    ]) {
      assert.ok(bot.includes(expected), `azurebot.bicep lacks ${expected}`);
    }
  });

  it('sets as app settings only what the bot or App Service reads, including the identity settings', () => {
    const text = readProjectFile('infra/azure.bicep');
    const names = new Set(Array.from(text.matchAll(/^\s*name: '([A-Z][A-Z0-9_]*)'$/gm), (m) => m[1]));
    for (const name of names) {
      assert.ok(BOT_SETTINGS.has(name) || PLATFORM_SETTINGS.has(name), `unexpected app setting ${name}`);
    }
    for (const name of [
      'BOT_ID',
      'BOT_TYPE',
      'BOT_TENANT_ID',
      'AZURE_CLIENT_ID',
      'DATA_DIR',
      'SQLITE_JOURNAL_MODE',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
    ]) {
      assert.ok(names.has(name), `app setting ${name} is missing`);
    }
    assert.ok(!names.has('PORT'), 'App Service sets PORT itself');
  });

  it('creates a workspace-based Application Insights and gives the bot its connection string', () => {
    const text = readProjectFile('infra/azure.bicep');
    const workspace = /^resource (\w+) 'Microsoft\.OperationalInsights\/workspaces@[\d-]+' = \{/m.exec(text);
    assert.ok(workspace, 'a Log Analytics workspace');
    const insights = /^resource (\w+) 'Microsoft\.Insights\/components@[\d-]+' = \{/m.exec(text);
    assert.ok(insights, 'an Application Insights component');
    assert.ok(
      text.includes(`WorkspaceResourceId: ${workspace[1]}.id`),
      'Application Insights uses the workspace',
    );
    assert.ok(text.includes("IngestionMode: 'LogAnalytics'"), 'workspace-based ingestion');
    assert.match(
      text,
      new RegExp(
        `name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'\\n\\s*value: ${insights[1]}\\.properties\\.ConnectionString\\n`,
      ),
      'the app setting carries the connection string',
    );
    assert.ok(BOT_SETTINGS.has('APPLICATIONINSIGHTS_CONNECTION_STRING'), 'the bot reads the setting');
    const retention = bicep.params.find((param) => param.name === 'telemetryRetentionDays');
    assert.ok(retention?.hasDefault, 'the workspace retention has a default');
  });

  it('marks every key-like parameter @secure()', () => {
    const text = readProjectFile('infra/azure.bicep');
    for (const param of bicep.params.filter((p) => /key|password|secret/i.test(p.name))) {
      assert.match(text, new RegExp(`@secure\\(\\)\\n(@[^\\n]*\\n)*param ${param.name} `), param.name);
    }
  });
});

describe('Agents Toolkit project files (teamsapp.yml, teamsapp.local.yml, m365agents.playground.yml)', () => {
  const files = ['teamsapp.yml', 'teamsapp.local.yml', 'm365agents.playground.yml'];

  for (const file of files) {
    it(`${file} uses yaml schema ${YAML_SCHEMA_VERSION} with a $schema link, and only known actions`, () => {
      const project = readToolkitProject(file);
      assert.equal(project.version, YAML_SCHEMA_VERSION);
      assert.ok(
        readProjectFile(file).startsWith(
          `# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/${YAML_SCHEMA_VERSION}/yaml.schema.json`,
        ),
      );
      for (const action of allActions(project)) {
        assert.ok(KNOWN_ACTIONS.has(action.uses), `${file}: unknown action ${action.uses}`);
      }
    });
  }

  it('teamsapp.yml provisions with arm/deploy (no Entra app), deploys the web app and publishes', () => {
    const project = readToolkitProject('teamsapp.yml');
    const provision = (project.provision ?? []).map((a) => a.uses);
    assert.deepEqual(provision, [
      'teamsApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
      'teamsApp/extendToM365',
    ]);
    const arm = project.provision!.find((a) => a.uses === 'arm/deploy')!;
    const templates = arm.with?.templates as { path: string; parameters: string; deploymentName: string }[];
    for (const template of templates) {
      assert.ok(existsSync(path.join(repoRoot, template.path)), template.path);
      assert.ok(existsSync(path.join(repoRoot, template.parameters)), template.parameters);
      assert.ok(template.deploymentName.length > 0);
    }

    const zipDeploy = (project.deploy ?? []).find((a) => a.uses === 'azureAppService/zipDeploy');
    assert.equal(zipDeploy?.with?.resourceId, '${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    assert.ok(
      existsSync(path.join(repoRoot, String(zipDeploy?.with?.ignoreFile))),
      'the ignore file must exist',
    );

    const publish = (project.publish ?? []).map((a) => a.uses);
    assert.equal(publish.at(-1), 'teamsApp/publishAppPackage');
  });

  it('teamsapp.yml uses only placeholders that env/.env.dev, its actions or the Bicep outputs provide', () => {
    const project = readToolkitProject('teamsapp.yml');
    assertResolvable(
      'teamsapp.yml',
      placeholdersIn(readProjectFile('teamsapp.yml'), { skipYamlComments: true }),
      readEnvFile('env/.env.dev'),
      new Map([
        ['actions', new Set(variablesWrittenByActions(project).keys())],
        ['arm/deploy outputs', new Set(readBicep('infra/azure.bicep').outputs)],
        ['the toolkit', SUPPLIED_BY_TOOLKIT],
      ]),
    );
  });

  it('teamsapp.local.yml registers a bot for the dev tunnel and writes .localConfigs for the bot', () => {
    const project = readToolkitProject('teamsapp.local.yml');
    const written = variablesWrittenByActions(project);
    assert.equal(written.get('BOT_ID'), 'aadApp/create');
    assert.equal(written.get('SECRET_BOT_PASSWORD'), 'aadApp/create');
    const botFramework = (project.provision ?? []).find((a) => a.uses === 'botFramework/create');
    assert.equal(botFramework?.with?.messagingEndpoint, '${{BOT_ENDPOINT}}/api/messages');
    assert.deepEqual(botFramework?.with?.channels, [{ name: 'msteams' }]);

    const envs = envsOfEnvironmentFileAction(project, './.localConfigs');
    assert.equal(envs.BOT_ID, '${{BOT_ID}}');
    assert.equal(envs.BOT_PASSWORD, '${{SECRET_BOT_PASSWORD}}');
    assert.equal(envs.BOT_TYPE, 'MultiTenant');
    assert.equal(envs.OPENAI_API_KEY, '${{SECRET_OPENAI_API_KEY}}');
    for (const key of Object.keys(envs))
      assert.ok(BOT_SETTINGS.has(key), `.localConfigs: the bot does not read ${key}`);
  });

  it('teamsapp.local.yml uses only placeholders that env/.env.local, its actions, the tunnel or secrets provide', () => {
    const project = readToolkitProject('teamsapp.local.yml');
    const env = readEnvFile('env/.env.local');
    for (const name of SET_BY_DEV_TUNNEL) assert.ok(env.has(name), `env/.env.local should list ${name}=`);
    assertResolvable(
      'teamsapp.local.yml',
      placeholdersIn(readProjectFile('teamsapp.local.yml'), { skipYamlComments: true }),
      env,
      new Map([
        ['actions', new Set(variablesWrittenByActions(project).keys())],
        ['the dev tunnel', SET_BY_DEV_TUNNEL],
        ['env/.env.local.user', exampleSecrets('local')],
      ]),
    );
  });

  it('m365agents.playground.yml provisions nothing and writes .localConfigs.playground without a bot identity', () => {
    const project = readToolkitProject('m365agents.playground.yml');
    assert.equal(project.provision, undefined);
    const envs = envsOfEnvironmentFileAction(project, './.localConfigs.playground');
    assert.equal(envs.BOT_ID, '');
    assert.equal(envs.BOT_PASSWORD, '');
    assert.equal(envs.HOST, '127.0.0.1', 'an anonymous bot must listen on loopback only');
    assert.equal(envs.OPENAI_API_KEY, '${{SECRET_OPENAI_API_KEY}}');
    for (const key of Object.keys(envs))
      assert.ok(BOT_SETTINGS.has(key), `.localConfigs.playground: the bot does not read ${key}`);
    assertResolvable(
      'm365agents.playground.yml',
      placeholdersIn(readProjectFile('m365agents.playground.yml'), { skipYamlComments: true }),
      readEnvFile('env/.env.playground'),
      new Map([['env/.env.playground.user', exampleSecrets('playground')]]),
    );
  });

  it('commits only empty SECRET_ placeholders in the example secret files', () => {
    for (const name of ['dev', 'local', 'playground']) {
      for (const [key, value] of readEnvFile(`env/.env.${name}.user.example`)) {
        assert.match(key, /^SECRET_/, `env/.env.${name}.user.example: ${key}`);
        assert.equal(value, '', `env/.env.${name}.user.example must not hold a value for ${key}`);
      }
    }
  });

  it('keeps node_modules, tests and local files out of the zip deploy but ships what App Service builds', () => {
    // The toolkit filters the upload with the `ignore` package (gitignore rules), as done here.
    const rules = ignore().add(readProjectFile('.webappignore'));
    for (const left of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'test/appPackage/manifest.test.ts',
      'build/test/setup.js',
      'env/.env.dev',
      '.localConfigs',
      '.localConfigs.playground',
      'data/bot.sqlite',
      'appPackage/manifest.json',
      'infra/azure.bicep',
      'teamsapp.yml',
      'm365agents.playground.yml',
      '.vscode/launch.json',
    ]) {
      assert.ok(rules.ignores(left), `${left} would be uploaded`);
    }
    for (const shipped of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'tsconfig.json',
      'src/index.ts',
      'knowledge/it-helpdesk-faq.md',
      'build/src/index.js',
    ]) {
      assert.ok(!rules.ignores(shipped), `${shipped} must be uploaded`);
    }
    assert.match(
      readProjectFile('infra/azure.bicep'),
      /name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'\n\s*value: 'true'/,
    );
  });
});
