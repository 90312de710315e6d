/**
 * Checks of the Microsoft 365 Agents Toolkit project files (lifecycle yml files, env files, .vscode tasks and
 * launch configurations). Each check takes the parsed data and returns a list of problems, so the tests can run
 * it on the real files and on deliberately broken copies.
 */
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { isRecord, type ToolkitAction, type ToolkitProject } from './toolkitProject';

/** The stages in the order a developer runs them; values written by provision are in the env file at deploy. */
export const STAGES = ['provision', 'deploy', 'publish'] as const;

/** Lifecycle file names of the Toolkit: `teamsapp[.<env>].yml` (older) and `m365agents[.<env>].yml` (current). */
export const LIFECYCLE_FILE = /^(teamsapp|m365agents)(\.[\w-]+)?\.yml$/;

const SCHEMA_COMMENT =
  /^# yaml-language-server: \$schema=https:\/\/aka\.ms\/(?:m365-agents-toolkits|teams-toolkit)\/(v\d+\.\d+)\/yaml\.schema\.json\r?\n/;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The lifecycle file the Toolkit loads for an environment, as `pathUtils.getYmlFilePath` of
 * @microsoft/m365agentstoolkit-cli 1.1.17 (fx-core) decides: the m365agents name first, then the teamsapp name.
 * Note that "playground" has no teamsapp name of its own: without m365agents.playground.yml it falls back to
 * teamsapp.yml, and teamsapp.testtool.yml is only for the old env name "testtool".
 */
export function lifecycleFileFor(env: string, exists: (file: string) => boolean): string | undefined {
  const current =
    env === 'local'
      ? 'm365agents.local.yml'
      : env === 'playground'
        ? 'm365agents.playground.yml'
        : env === 'sandbox'
          ? 'm365agents.sandbox.yml'
          : 'm365agents.yml';
  if (exists(current)) return current;
  const older =
    env === 'local'
      ? 'teamsapp.local.yml'
      : env === 'testtool'
        ? 'teamsapp.testtool.yml'
        : env === 'sandbox'
          ? 'teamsapp.sandbox.yml'
          : 'teamsapp.yml';
  return exists(older) ? older : undefined;
}

/** Compiles a kept yaml schema (JSON Schema draft-07, the default dialect of ajv 8). */
export function compileToolkitSchema(schema: unknown): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema as object);
}

/** The schema version a lifecycle file declares, in `version:` and in its first-line `$schema` link. */
export function declaredSchemaVersions(text: string): { field?: string; link?: string } {
  const parsed: unknown = parseYaml(text);
  const field = isRecord(parsed) && typeof parsed.version === 'string' ? parsed.version : undefined;
  return { field, link: SCHEMA_COMMENT.exec(text)?.[1] };
}

/** Problems with the declared schema version: both places must name the same version, one we keep a schema of. */
export function schemaVersionProblems(text: string, keptVersions: ReadonlySet<string>): string[] {
  const { field, link } = declaredSchemaVersions(text);
  const problems: string[] = [];
  if (field === undefined) problems.push('no "version:"');
  if (link === undefined) problems.push('the first line is not a "# yaml-language-server: $schema=" link');
  if (field !== undefined && link !== undefined && field !== link)
    problems.push(`version: ${field} but the $schema link names ${link}`);
  if (field !== undefined && !keptVersions.has(field)) problems.push(`no kept schema for version ${field}`);
  return problems;
}

/** Schema validation errors of a parsed lifecycle file, one line each. */
export function schemaProblems(parsed: unknown, validate: ValidateFunction): string[] {
  if (validate(parsed)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/** Every string inside a value (the toolkit substitutes placeholders in parsed values only, not in comments). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The names of the `${{NAME}}` placeholders in every string inside a value, in order, repeats kept. */
export function placeholdersOf(value: unknown): string[] {
  return stringsIn(value).flatMap((s) => Array.from(s.matchAll(PLACEHOLDER), (m) => m[1]));
}

/** What an environment offers a lifecycle file before its first action runs. */
export interface PlaceholderContext {
  /** Variables set to a non-empty value in env/.env.<env>. */
  setInEnvFile: ReadonlySet<string>;
  /** Variables listed in env/.env.<env> (APP_NAME_SUFFIX may be listed empty). */
  listedInEnvFile: ReadonlySet<string>;
  /** Other sources (secrets file, the toolkit itself, the dev tunnel task, the developer), by name. */
  otherSources: ReadonlyMap<string, ReadonlySet<string>>;
  /** Reads a project file (arm/deploy parameter files, Bicep templates). */
  readFile: (relativePath: string) => string;
}

/** Outputs of a Bicep file (`output NAME type = ...`); arm/deploy writes them to the env file under their names. */
export function bicepOutputs(text: string): string[] {
  return Array.from(text.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm), (m) => m[1]);
}

function armTemplates(action: ToolkitAction): { path?: unknown; parameters?: unknown }[] {
  const templates = action.with?.templates;
  return Array.isArray(templates) ? templates.filter(isRecord) : [];
}

/**
 * Placeholders that nothing defines at the point they are used: walking the stages in order, each `${{NAME}}`
 * of an action (and of the parameter files of an arm/deploy) must be set in the env file, come from another
 * source, or be written by an earlier action (writeToEnvironmentFile, or the outputs of an earlier arm/deploy).
 */
export function placeholderProblems(project: ToolkitProject, context: PlaceholderContext): string[] {
  const written = new Set<string>();
  const problems: string[] = [];
  const defined = (name: string): boolean =>
    context.setInEnvFile.has(name) ||
    (name === 'APP_NAME_SUFFIX' && context.listedInEnvFile.has(name)) ||
    written.has(name) ||
    [...context.otherSources.values()].some((names) => names.has(name));
  for (const stage of STAGES) {
    for (const [index, action] of (project[stage] ?? []).entries()) {
      const where = `${stage}[${index}] ${action.uses}`;
      const used = placeholdersOf({ with: action.with, env: (action as { env?: unknown }).env });
      if (action.uses === 'arm/deploy') {
        for (const template of armTemplates(action)) {
          if (typeof template.parameters === 'string')
            used.push(...placeholdersOf(context.readFile(template.parameters)));
        }
      }
      for (const name of used) {
        if (!defined(name)) problems.push(`${where}: \${{${name}}} is not defined at this point`);
      }
      for (const variable of Object.values(action.writeToEnvironmentFile ?? {})) written.add(variable);
      if (action.uses === 'arm/deploy') {
        for (const template of armTemplates(action)) {
          if (typeof template.path === 'string')
            for (const output of bicepOutputs(context.readFile(template.path))) written.add(output);
        }
      }
    }
  }
  return problems;
}

const PACKAGE_PATH_ACTIONS = new Set([
  'teamsApp/validateAppPackage',
  'teamsApp/update',
  'teamsApp/extendToM365',
  'teamsApp/publishAppPackage',
]);

/**
 * Paths that do not resolve: manifests, Bicep templates and parameter files, the zip deploy's folder and ignore
 * file must exist; an app package must be the output of an earlier teamsApp/zipAppPackage of the same stage
 * (it is built, not committed); an env file the project writes must go to an existing folder.
 */
export function pathProblems(project: ToolkitProject, exists: (relativePath: string) => boolean): string[] {
  const problems: string[] = [];
  const mustExist = (where: string, what: string, value: unknown): void => {
    if (typeof value !== 'string' || value === '') problems.push(`${where}: no ${what}`);
    else if (!exists(value)) problems.push(`${where}: ${what} ${value} does not exist`);
  };
  for (const stage of STAGES) {
    const zips = new Set<string>();
    for (const [index, action] of (project[stage] ?? []).entries()) {
      const where = `${stage}[${index}] ${action.uses}`;
      const given = action.with ?? {};
      switch (action.uses) {
        case 'teamsApp/validateManifest':
          mustExist(where, 'manifestPath', given.manifestPath);
          break;
        case 'teamsApp/zipAppPackage': {
          mustExist(where, 'manifestPath', given.manifestPath);
          const zip = String(given.outputZipPath);
          const folder = String(given.outputFolder);
          if (path.posix.dirname(path.posix.normalize(zip)) !== path.posix.normalize(folder))
            problems.push(`${where}: outputZipPath ${zip} is not in outputFolder ${folder}`);
          zips.add(zip);
          break;
        }
        case 'arm/deploy':
          if (armTemplates(action).length === 0) problems.push(`${where}: no templates`);
          for (const template of armTemplates(action)) {
            mustExist(where, 'template path', template.path);
            mustExist(where, 'parameters file', template.parameters);
          }
          break;
        case 'azureAppService/zipDeploy':
          mustExist(where, 'artifactFolder', given.artifactFolder);
          mustExist(where, 'ignoreFile', given.ignoreFile);
          break;
        case 'file/createOrUpdateEnvironmentFile':
          mustExist(where, 'folder of the target', path.posix.dirname(String(given.target)));
          break;
      }
      if (PACKAGE_PATH_ACTIONS.has(action.uses) && !zips.has(String(given.appPackagePath))) {
        problems.push(
          `${where}: appPackagePath ${String(given.appPackagePath)} is not built by an earlier teamsApp/zipAppPackage of ${stage}`,
        );
      }
    }
  }
  return problems;
}

/** npm commands that need no script of the package. */
const NPM_BUILTINS = new Set(['install', 'i', 'ci', 'rebuild', 'prune']);
/** npm commands that run the script of the same name. */
const NPM_SCRIPT_COMMANDS = new Set(['test', 'start', 'stop', 'restart']);

/** The package.json script an npm command line runs (`run build --if-present` → build), if any. */
export function npmScriptOf(args: string): { script?: string; builtin?: string } {
  const [command, ...rest] = args.trim().split(/\s+/);
  if (command === 'run' || command === 'run-script') return { script: rest.find((t) => !t.startsWith('-')) };
  if (NPM_SCRIPT_COMMANDS.has(command)) return { script: command };
  return { builtin: command };
}

/** cli/runNpmCommand actions whose command runs a script package.json lacks, or is no known npm command. */
export function npmScriptProblems(
  project: ToolkitProject,
  scripts: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = [];
  for (const stage of STAGES) {
    for (const [index, action] of (project[stage] ?? []).entries()) {
      if (action.uses !== 'cli/runNpmCommand') continue;
      const where = `${stage}[${index}] cli/runNpmCommand`;
      const args = action.with?.args;
      const { script, builtin } = npmScriptOf(typeof args === 'string' ? args : '');
      if (script !== undefined && !(script in scripts))
        problems.push(`${where}: package.json has no script "${script}"`);
      if (builtin !== undefined && !NPM_BUILTINS.has(builtin))
        problems.push(`${where}: unexpected npm command "${builtin}"`);
      if (script === undefined && builtin === undefined) problems.push(`${where}: no npm command`);
    }
  }
  return problems;
}

/** Env files (`target`) each lifecycle file writes with file/createOrUpdateEnvironmentFile, normalized. */
export function environmentFilesWritten(project: ToolkitProject): string[] {
  return STAGES.flatMap((stage) => project[stage] ?? [])
    .filter((a) => a.uses === 'file/createOrUpdateEnvironmentFile')
    .map((a) => path.posix.normalize(String(a.with?.target)));
}

/** One task of .vscode/tasks.json, the fields the checks read. */
export interface VsCodeTask {
  label: string;
  type?: string;
  command?: string;
  dependsOn?: string | string[];
  args?: Record<string, unknown>;
}

/** .vscode/launch.json, the fields the checks read. */
export interface VsCodeLaunch {
  configurations: {
    name: string;
    type: string;
    request: string;
    port?: number;
    preLaunchTask?: string;
    url?: string;
  }[];
  compounds?: { name: string; configurations: string[]; preLaunchTask?: string }[];
}

/** What the .vscode checks look things up in. */
export interface VsCodeContext {
  scripts: Readonly<Record<string, string>>;
  /** Lifecycle file the Toolkit loads for an env name (see lifecycleFileFor), undefined for none. */
  lifecycleFileFor: (env: string) => string | undefined;
  /** Whether env/.env.<env> exists. */
  hasEnvFile: (env: string) => boolean;
  /** Variables an environment ends up with: listed in its env file or written by its lifecycle file. */
  variablesOf: (env: string) => ReadonlySet<string>;
  /** Env files the lifecycle files write (`.localConfigs`, ...). */
  writtenEnvFiles: ReadonlySet<string>;
}

/**
 * Problems of .vscode/tasks.json and launch.json: references to tasks, configurations, npm scripts, env files,
 * environments and variables that do not exist, and a debugger port nobody opens.
 */
export function vscodeProblems(tasks: VsCodeTask[], launch: VsCodeLaunch, context: VsCodeContext): string[] {
  const problems: string[] = [];
  const labels = new Set<string>();
  for (const task of tasks) {
    if (labels.has(task.label)) problems.push(`task "${task.label}" is defined twice`);
    labels.add(task.label);
  }
  const inspectPorts = new Set<number>();
  for (const task of tasks) {
    const where = `task "${task.label}"`;
    const dependsOn = task.dependsOn === undefined ? [] : [task.dependsOn].flat();
    for (const dependency of dependsOn)
      if (!labels.has(dependency)) problems.push(`${where} depends on a missing task "${dependency}"`);
    if (task.type === 'shell') {
      const match = /^npm run ([\w:.-]+)$/.exec(task.command ?? '');
      if (!match) problems.push(`${where}: command "${task.command}" is not "npm run <script>"`);
      const script = match ? context.scripts[match[1]] : undefined;
      if (match && script === undefined) problems.push(`${where}: package.json has no script "${match[1]}"`);
      for (const m of (script ?? '').matchAll(/--env-file=(\S+)/g)) {
        const file = path.posix.normalize(m[1]);
        if (!context.writtenEnvFiles.has(file))
          problems.push(
            `${where}: ${file} is written by no lifecycle file (file/createOrUpdateEnvironmentFile)`,
          );
      }
      for (const m of (script ?? '').matchAll(/--inspect(?:-brk)?=(?:[\w.]+:)?(\d+)/g))
        inspectPorts.add(Number(m[1]));
    }
    if (task.type === 'teamsfx') {
      const env = task.args?.env;
      if (typeof env === 'string') {
        if (!context.hasEnvFile(env)) problems.push(`${where}: env/.env.${env} does not exist`);
        if (context.lifecycleFileFor(env) === undefined)
          problems.push(`${where}: the Toolkit finds no lifecycle file for env "${env}"`);
      }
      if (task.command === 'debug-start-local-tunnel' && typeof env === 'string') {
        const ports = Array.isArray(task.args?.ports) ? task.args.ports.filter(isRecord) : [];
        for (const port of ports) {
          const written = isRecord(port.writeToEnvironmentFile)
            ? Object.values(port.writeToEnvironmentFile)
            : [];
          for (const variable of written) {
            if (!context.variablesOf(env).has(String(variable)))
              problems.push(`${where}: writes ${String(variable)}, which env/.env.${env} does not list`);
          }
        }
      }
    }
    for (const text of placeholderTextsOf(task.args)) problems.push(...hintProblems(where, text, context));
  }
  const configurations = new Set(launch.configurations.map((c) => c.name));
  for (const configuration of launch.configurations) {
    const where = `launch configuration "${configuration.name}"`;
    if (configuration.preLaunchTask !== undefined && !labels.has(configuration.preLaunchTask))
      problems.push(`${where}: preLaunchTask "${configuration.preLaunchTask}" is no task`);
    if (configuration.request === 'attach' && configuration.type === 'node') {
      if (configuration.port === undefined || !inspectPorts.has(configuration.port))
        problems.push(`${where}: no npm script of a task opens the debugger on port ${configuration.port}`);
    }
    if (configuration.url !== undefined) problems.push(...hintProblems(where, configuration.url, context));
  }
  for (const compound of launch.compounds ?? []) {
    const where = `compound "${compound.name}"`;
    for (const name of compound.configurations)
      if (!configurations.has(name)) problems.push(`${where}: no configuration "${name}"`);
    if (compound.preLaunchTask !== undefined && !labels.has(compound.preLaunchTask))
      problems.push(`${where}: preLaunchTask "${compound.preLaunchTask}" is no task`);
  }
  return problems;
}

function placeholderTextsOf(value: unknown): string[] {
  return stringsIn(value).filter((s) => s.includes('${{'));
}

/** `${{local:NAME}}` must be a variable of env "local"; `${{NAME}}` one of the remote env "dev". */
function hintProblems(where: string, text: string, context: VsCodeContext): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/\$\{\{(?:([\w-]+):)?([A-Za-z_][A-Za-z0-9_]*)\}\}/g)) {
    const env = m[1] ?? 'dev';
    if (!context.variablesOf(env).has(m[2])) problems.push(`${where}: ${m[0]}: env "${env}" has no ${m[2]}`);
  }
  return problems;
}
