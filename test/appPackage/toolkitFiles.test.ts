import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  LIFECYCLE_FILE,
  compileToolkitSchema,
  declaredSchemaVersions,
  environmentFilesWritten,
  lifecycleFileFor,
  npmScriptProblems,
  pathProblems,
  placeholderProblems,
  schemaProblems,
  schemaVersionProblems,
  vscodeProblems,
  type PlaceholderContext,
  type VsCodeContext,
  type VsCodeLaunch,
  type VsCodeTask,
} from './toolkitChecks';
import {
  isRecord,
  nonEmptyKeys,
  readEnvFile,
  readProjectFile,
  readProjectJson,
  repoRoot,
  variablesWrittenByActions,
  type ToolkitProject,
} from './toolkitProject';

/** The schemas kept in the repository (test/fixtures/toolkit-schemas/README.md says where they come from). */
const SCHEMA_FOLDER = 'test/fixtures/toolkit-schemas';
const KEPT_VERSIONS = new Set(
  readdirSync(path.join(repoRoot, SCHEMA_FOLDER)).filter((name) =>
    existsSync(path.join(repoRoot, SCHEMA_FOLDER, name, 'yaml.schema.json')),
  ),
);

/** The schema version of the current Toolkit templates, which every lifecycle file uses. */
const CURRENT_VERSION = 'v1.11';

const exists = (relativePath: string): boolean => existsSync(path.join(repoRoot, relativePath));

const LIFECYCLE_FILES = readdirSync(repoRoot)
  .filter((name) => LIFECYCLE_FILE.test(name))
  .sort();

/** Environments: env/.env.<name>, without the .user secrets and the examples. */
const ENVIRONMENTS = readdirSync(path.join(repoRoot, 'env'))
  .map((name) => /^\.env\.([\w-]+)$/.exec(name)?.[1])
  .filter((name): name is string => name !== undefined)
  .sort();

const SCRIPTS = (readProjectJson('package.json') as { scripts: Record<string, string> }).scripts;

function parseProject(text: string): ToolkitProject {
  const parsed: unknown = parseYaml(text);
  assert.ok(isRecord(parsed));
  return parsed as unknown as ToolkitProject;
}

const validators = new Map(
  [...KEPT_VERSIONS].map((version) => [
    version,
    compileToolkitSchema(readProjectJson(`${SCHEMA_FOLDER}/${version}/yaml.schema.json`)),
  ]),
);

/** Every problem of one lifecycle file's text: version, schema, paths, npm scripts. */
function fileProblems(text: string, fileExists = exists, scripts = SCRIPTS): string[] {
  const versionProblems = schemaVersionProblems(text, KEPT_VERSIONS);
  if (versionProblems.length > 0) return versionProblems;
  const parsed: unknown = parseYaml(text);
  const validate = validators.get(declaredSchemaVersions(text).field!)!;
  const project = parseProject(text);
  return [
    ...schemaProblems(parsed, validate),
    ...pathProblems(project, fileExists),
    ...npmScriptProblems(project, scripts),
  ];
}

/** Variables the dev tunnel task of .vscode/tasks.json writes into an environment's env file. */
function tunnelVariables(tasks: VsCodeTask[], env: string): Set<string> {
  const names = new Set<string>();
  for (const task of tasks.filter((t) => t.command === 'debug-start-local-tunnel' && t.args?.env === env)) {
    for (const port of (task.args?.ports as { writeToEnvironmentFile?: Record<string, string> }[]) ?? [])
      for (const name of Object.values(port.writeToEnvironmentFile ?? {})) names.add(name);
  }
  return names;
}

function readTasks(): VsCodeTask[] {
  return (readProjectJson('.vscode/tasks.json') as { tasks: VsCodeTask[] }).tasks;
}

/** Values that are neither in env/.env.<env> nor written by an action, with where they come from. */
function otherSources(env: string): Map<string, ReadonlySet<string>> {
  const sources = new Map<string, ReadonlySet<string>>();
  const secrets = `env/.env.${env}.user.example`;
  if (exists(secrets)) sources.set(secrets, new Set(readEnvFile(secrets).keys()));
  // The toolkit asks for (or generates) these during arm/deploy.
  sources.set(
    'the toolkit',
    new Set(['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX']),
  );
  sources.set('the dev tunnel task', tunnelVariables(readTasks(), env));
  if (env === 'dev') {
    // The model the developer picks before the first provision (docs/teams-toolkit.md, Azure step 1).
    sources.set(
      'the developer',
      new Set(['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT_NAME', 'AZURE_OPENAI_RESOURCE_ID']),
    );
  }
  return sources;
}

function placeholderContext(env: string): PlaceholderContext {
  const values = readEnvFile(`env/.env.${env}`);
  return {
    setInEnvFile: nonEmptyKeys(values),
    listedInEnvFile: new Set(values.keys()),
    otherSources: otherSources(env),
    readFile: readProjectFile,
  };
}

function vscodeContext(): VsCodeContext {
  return {
    scripts: SCRIPTS,
    lifecycleFileFor: (env) => lifecycleFileFor(env, exists),
    hasEnvFile: (env) => exists(`env/.env.${env}`),
    variablesOf: (env) => {
      const file = lifecycleFileFor(env, exists);
      const listed = exists(`env/.env.${env}`) ? [...readEnvFile(`env/.env.${env}`).keys()] : [];
      const written = file ? [...variablesWrittenByActions(parseProject(readProjectFile(file))).keys()] : [];
      return new Set([...listed, ...written]);
    },
    writtenEnvFiles: new Set(
      LIFECYCLE_FILES.flatMap((file) => environmentFilesWritten(parseProject(readProjectFile(file)))),
    ),
  };
}

describe('Microsoft 365 Agents Toolkit project files (yaml schema, references, .vscode)', () => {
  it('keeps the yaml schema of the current Toolkit templates, a draft-07 JSON schema that pins the version', () => {
    assert.ok(KEPT_VERSIONS.has(CURRENT_VERSION), [...KEPT_VERSIONS].join(', '));
    const schema = readProjectJson(`${SCHEMA_FOLDER}/${CURRENT_VERSION}/yaml.schema.json`) as {
      $schema: string;
      properties: { version: { const: string } };
    };
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.properties.version.const, CURRENT_VERSION);
    assert.ok(exists(`${SCHEMA_FOLDER}/README.md`), 'say where the schema files come from');
  });

  it('has one lifecycle file per environment, named as the Toolkit loads it (playground: m365agents.playground.yml)', () => {
    assert.deepEqual(ENVIRONMENTS, ['dev', 'local', 'playground']);
    const loaded = new Map(ENVIRONMENTS.map((env) => [env, lifecycleFileFor(env, exists)]));
    assert.deepEqual(Object.fromEntries(loaded), {
      dev: 'teamsapp.yml',
      local: 'teamsapp.local.yml',
      playground: 'm365agents.playground.yml',
    });
    assert.deepEqual(
      LIFECYCLE_FILES,
      [...new Set(loaded.values())].sort(),
      'no file the Toolkit never loads',
    );
  });

  it('would load teamsapp.yml (the Azure lifecycle) for "playground" without m365agents.playground.yml', () => {
    const without = (file: string): boolean => file !== 'm365agents.playground.yml' && exists(file);
    assert.equal(lifecycleFileFor('playground', without), 'teamsapp.yml');
    const withOldName = (file: string): boolean => file === 'teamsapp.testtool.yml' || without(file);
    assert.equal(
      lifecycleFileFor('playground', withOldName),
      'teamsapp.yml',
      'teamsapp.testtool.yml is for "testtool"',
    );
    assert.equal(lifecycleFileFor('testtool', withOldName), 'teamsapp.testtool.yml');
  });

  for (const file of LIFECYCLE_FILES) {
    it(`${file} declares ${CURRENT_VERSION}, validates against its schema and references existing files and scripts`, () => {
      const text = readProjectFile(file);
      assert.deepEqual(declaredSchemaVersions(text), { field: CURRENT_VERSION, link: CURRENT_VERSION });
      assert.deepEqual(fileProblems(text), []);
    });
  }

  for (const env of ENVIRONMENTS) {
    it(`env "${env}": every \${{VAR}} is set in env/.env.${env}, a secret, or written by an earlier action`, () => {
      const file = lifecycleFileFor(env, exists)!;
      assert.deepEqual(placeholderProblems(parseProject(readProjectFile(file)), placeholderContext(env)), []);
    });
  }

  it('.vscode/tasks.json and launch.json reference existing tasks, npm scripts, env files and variables', () => {
    const launch = readProjectJson('.vscode/launch.json') as VsCodeLaunch;
    assert.deepEqual(vscodeProblems(readTasks(), launch, vscodeContext()), []);
  });

  it('.vscode offers F5 with the Agents Playground and with Teams (Edge, Chrome) through a dev tunnel', () => {
    const launch = readProjectJson('.vscode/launch.json') as VsCodeLaunch;
    const tasks = new Map(readTasks().map((t) => [t.label, t]));
    const compounds = new Map((launch.compounds ?? []).map((c) => [c.name, c]));
    const playground = compounds.get('Debug in Microsoft 365 Agents Playground');
    const chain = (label: string): VsCodeTask[] =>
      [tasks.get(label)!.dependsOn ?? []].flat().map((dependency) => tasks.get(dependency)!);
    const playgroundChain = chain(playground!.preLaunchTask!);
    assert.ok(playgroundChain.some((t) => t.command === 'deploy' && t.args?.env === 'playground'));
    assert.ok(playgroundChain.some((t) => t.command === 'npm run dev:teamsfx:playground'));
    assert.ok(playgroundChain.some((t) => t.command === 'npm run dev:teamsfx:launch-playground'));
    for (const browser of ['Edge', 'Chrome']) {
      const teams = compounds.get(`Debug in Teams (${browser})`);
      assert.ok(teams, `Debug in Teams (${browser})`);
      const teamsChain = chain(teams.preLaunchTask!);
      assert.deepEqual(
        teamsChain.map((t) => t.command),
        [
          'debug-check-prerequisites',
          'debug-start-local-tunnel',
          'provision',
          'deploy',
          'npm run dev:teamsfx',
        ],
      );
    }
    assert.equal(
      SCRIPTS['dev:teamsfx:playground'],
      'npm run build --silent && node --env-file=.localConfigs.playground --inspect=9239 build/src/index.js',
    );
    const settings = readProjectJson('.vscode/settings.json') as Record<string, unknown>;
    assert.equal(settings['debug.onTaskErrors'], 'abort');
    const extensions = readProjectJson('.vscode/extensions.json') as { recommendations: string[] };
    assert.ok(extensions.recommendations.includes('TeamsDevApp.ms-teams-vscode-extension'));
  });

  describe('the checks fail on broken copies', () => {
    const dev = readProjectFile('teamsapp.yml');
    const local = readProjectFile('teamsapp.local.yml');

    const replaced = (text: string, from: string | RegExp, to: string): string => {
      const result = text.replace(from, to);
      assert.notEqual(result, text, `the broken copy must differ: ${String(from)}`);
      return result;
    };

    it('an unknown action, an unknown parameter, a version mismatch, an unkept version', () => {
      assert.match(
        fileProblems(replaced(dev, 'uses: teamsApp/update', 'uses: teamsApp/updateApp')).join('\n'),
        /anyOf|const/,
      );
      assert.match(
        fileProblems(
          replaced(dev, 'ignoreFile: .webappignore', 'ignoreFile: .webappignore\n      ignore: true'),
        ).join('\n'),
        /"additionalProperty":"ignore"/,
      );
      assert.match(fileProblems(replaced(dev, 'version: v1.11', 'version: v1.8')).join('\n'), /names v1\.11/);
      assert.match(
        fileProblems(dev.replaceAll('v1.11', 'v1.99')).join('\n'),
        /no kept schema for version v1\.99/,
      );
      assert.match(fileProblems(replaced(dev, /^# yaml-language-server.*\n/, '')).join('\n'), /first line/);
    });

    it('a missing manifest, Bicep parameters file or ignore file, and an app package nobody builds', () => {
      assert.match(
        fileProblems(
          replaced(
            dev,
            /manifestPath: \.\/appPackage\/manifest\.json/,
            'manifestPath: ./appPackage/nope.json',
          ),
        ).join('\n'),
        /nope\.json does not exist/,
      );
      assert.match(
        fileProblems(
          replaced(dev, 'parameters: ./infra/azure.parameters.json', 'parameters: ./infra/gone.json'),
        ).join('\n'),
        /gone\.json does not exist/,
      );
      assert.match(
        fileProblems(replaced(dev, 'ignoreFile: .webappignore', 'ignoreFile: .deployignore')).join('\n'),
        /\.deployignore does not exist/,
      );
      const noZip = replaced(local, / {2}- uses: teamsApp\/zipAppPackage\n( {4}.*\n)+/, '');
      assert.match(fileProblems(noZip).join('\n'), /is not built by an earlier teamsApp\/zipAppPackage/);
    });

    it('an npm script that package.json lacks', () => {
      assert.match(
        fileProblems(replaced(dev, 'args: run build', 'args: run compile')).join('\n'),
        /no script "compile"/,
      );
      const withoutBuild = Object.fromEntries(Object.entries(SCRIPTS).filter(([name]) => name !== 'build'));
      assert.match(fileProblems(dev, exists, withoutBuild).join('\n'), /no script "build"/);
    });

    it('a placeholder nothing defines, and one used before the action that writes it', () => {
      const undefinedVariable = parseProject(
        replaced(local, 'LOG_LEVEL: ${{LOG_LEVEL}}', 'LOG_LEVEL: ${{LOG_LEVL}}'),
      );
      assert.match(
        placeholderProblems(undefinedVariable, placeholderContext('local')).join('\n'),
        /LOG_LEVL/,
      );
      // botFramework/create before aadApp/create: BOT_ID is not written yet.
      const project = parseProject(local);
      const provision = project.provision!;
      const aad = provision.findIndex((a) => a.uses === 'aadApp/create');
      [provision[aad], provision[aad + 1]] = [provision[aad + 1], provision[aad]];
      assert.match(
        placeholderProblems(project, placeholderContext('local')).join('\n'),
        /botFramework\/create: \$\{\{BOT_ID\}\} is not defined at this point/,
      );
      // The zip deploy needs the Bicep output BOT_AZURE_APP_SERVICE_RESOURCE_ID of arm/deploy.
      const withoutOutput = {
        ...placeholderContext('dev'),
        readFile: (file: string) =>
          readProjectFile(file).replace(/^output BOT_AZURE_APP_SERVICE_RESOURCE_ID .*$/m, ''),
      };
      assert.match(
        placeholderProblems(parseProject(dev), withoutOutput).join('\n'),
        /BOT_AZURE_APP_SERVICE_RESOURCE_ID/,
      );
    });

    it('.vscode: a missing task, configuration, npm script, env file, environment, variable or debugger port', () => {
      const launch = readProjectJson('.vscode/launch.json') as VsCodeLaunch;
      const context = vscodeContext();
      const problemsWith = (
        tasks: VsCodeTask[],
        changedLaunch: VsCodeLaunch = launch,
        changed: Partial<VsCodeContext> = {},
      ): string => vscodeProblems(tasks, changedLaunch, { ...context, ...changed }).join('\n');
      const edit = (label: string, change: (task: VsCodeTask) => VsCodeTask): VsCodeTask[] =>
        readTasks().map((t) => (t.label === label ? change(structuredClone(t)) : t));

      assert.match(
        problemsWith(edit('Start App Locally', (t) => ({ ...t, dependsOn: ['Provison'] }))),
        /missing task "Provison"/,
      );
      assert.match(
        problemsWith(edit('Start application', (t) => ({ ...t, command: 'npm run dev:teams' }))),
        /no script "dev:teams"/,
      );
      assert.match(
        problemsWith(
          edit('Deploy (Microsoft 365 Agents Playground)', (t) => ({ ...t, args: { env: 'testtool' } })),
        ),
        /env\/\.env\.testtool does not exist[\s\S]*no lifecycle file for env "testtool"/,
      );
      assert.match(
        problemsWith(
          edit('Start desktop client', (t) => ({
            ...t,
            args: { url: 'teams.microsoft.com/l/app/${{local:TEAMS_APP_IDX}}' },
          })),
        ),
        /env "local" has no TEAMS_APP_IDX/,
      );
      const tunnel = (t: VsCodeTask): VsCodeTask => {
        const ports = t.args!.ports as { writeToEnvironmentFile: Record<string, string> }[];
        ports[0].writeToEnvironmentFile.endpoint = 'TUNNEL_ENDPOINT';
        return t;
      };
      assert.match(
        problemsWith(edit('Start local tunnel', tunnel)),
        /writes TUNNEL_ENDPOINT, which env\/\.env\.local does not list/,
      );
      const scripts = {
        ...SCRIPTS,
        'dev:teamsfx': SCRIPTS['dev:teamsfx']
          .replace('.localConfigs ', '.localConfigs.local ')
          .replace('9239', '9229'),
      };
      const withScripts = problemsWith(readTasks(), launch, { scripts });
      assert.match(withScripts, /\.localConfigs\.local is written by no lifecycle file/);
      const noInspect = Object.fromEntries(
        Object.entries(SCRIPTS).map(([k, v]) => [k, v.replace(/ --inspect=9239/, '')]),
      );
      assert.match(problemsWith(readTasks(), launch, { scripts: noInspect }), /debugger on port 9239/);

      const broken: VsCodeLaunch = structuredClone(launch);
      broken.compounds![0].configurations = ['Attach to Local Servce'];
      broken.compounds![1].preLaunchTask = 'Start App Localy';
      assert.match(
        problemsWith(readTasks(), broken),
        /no configuration "Attach to Local Servce"[\s\S]*"Start App Localy" is no task/,
      );
    });
  });
});
