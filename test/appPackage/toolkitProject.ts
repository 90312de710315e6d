import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The repository root: the nearest folder above this file that holds teamsapp.yml (works from src or build). */
export const repoRoot: string = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'teamsapp.yml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no teamsapp.yml above ${start}`);
    dir = parent;
  }
}

/** Reads a file relative to the repository root. */
export function readProjectFile(relativePath: string): string {
  return readFileSync(path.join(repoRoot, relativePath), 'utf8');
}

/** Parses a JSON file relative to the repository root. */
export function readProjectJson(relativePath: string): unknown {
  return JSON.parse(readProjectFile(relativePath)) as unknown;
}

/** Parses a dotenv file (`KEY=value` lines, `#` comments) relative to the repository root. */
export function readEnvFile(relativePath: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of readProjectFile(relativePath).split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (match) values.set(match[1], match[2].trim());
  }
  return values;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Names of the `${{NAME}}` placeholders the toolkit substitutes in a file's text. YAML comments are
 * skipped with `skipYamlComments`, because the toolkit only resolves parsed values.
 */
export function placeholdersIn(text: string, options: { skipYamlComments?: boolean } = {}): Set<string> {
  const source = options.skipYamlComments
    ? text
        .split(/\r?\n/)
        .filter((line) => !/^\s*#/.test(line))
        .join('\n')
    : text;
  return new Set(Array.from(source.matchAll(PLACEHOLDER), (match) => match[1]));
}

/** Replaces every placeholder with its value; throws for a placeholder that has none. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no test value for placeholder ${name}`);
    return value;
  });
}

/** One action of a toolkit lifecycle (`provision`, `deploy`, `publish`). */
export interface ToolkitAction {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

/** A parsed teamsapp*.yml file. */
export interface ToolkitProject {
  version: string;
  environmentFolderPath?: string;
  provision?: ToolkitAction[];
  deploy?: ToolkitAction[];
  publish?: ToolkitAction[];
}

/** Parses a teamsapp*.yml file, checking the shape the tests rely on. */
export function readToolkitProject(relativePath: string): ToolkitProject {
  const parsed: unknown = parseYaml(readProjectFile(relativePath));
  if (!isRecord(parsed) || typeof parsed.version !== 'string') {
    throw new Error(`${relativePath} has no version`);
  }
  for (const stage of ['provision', 'deploy', 'publish'] as const) {
    const actions = parsed[stage];
    if (actions === undefined) continue;
    if (!Array.isArray(actions) || !actions.every((a) => isRecord(a) && typeof a.uses === 'string')) {
      throw new Error(`${relativePath}: ${stage} must be a list of actions with "uses"`);
    }
  }
  return parsed as unknown as ToolkitProject;
}

/** Every action of every lifecycle stage, in file order. */
export function allActions(project: ToolkitProject): ToolkitAction[] {
  return [...(project.provision ?? []), ...(project.deploy ?? []), ...(project.publish ?? [])];
}

/** Environment variables the actions write (`writeToEnvironmentFile` values), with the action that writes each. */
export function variablesWrittenByActions(project: ToolkitProject): Map<string, string> {
  const written = new Map<string, string>();
  for (const action of allActions(project)) {
    for (const variable of Object.values(action.writeToEnvironmentFile ?? {})) {
      written.set(variable, action.uses);
    }
  }
  return written;
}

/** Names that are set to a non-empty value in an env file. */
export function nonEmptyKeys(env: Map<string, string>): Set<string> {
  return new Set([...env].filter(([, value]) => value !== '').map(([key]) => key));
}

/** A `param` declaration of a Bicep file. */
export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

/** A `module` declaration of a Bicep file with the names it passes in `params`. */
export interface BicepModule {
  symbol: string;
  path: string;
  params: string[];
}

/** The parts of a Bicep file the tests check (no Bicep compiler is available offline). */
export interface BicepFile {
  params: BicepParam[];
  outputs: string[];
  modules: BicepModule[];
}

/** Reads the params, outputs and modules of a Bicep file relative to the repository root. */
export function readBicep(relativePath: string): BicepFile {
  const text = readProjectFile(relativePath);
  const params = Array.from(text.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=)?/gm), (m): BicepParam => ({
    name: m[1],
    type: m[2],
    hasDefault: m[3] !== undefined,
  }));
  const outputs = Array.from(text.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm), (m) => m[1]);
  const modules = Array.from(text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=[^{]*\{/gm), (m) => ({
    symbol: m[1],
    path: m[2],
    params: moduleParams(text, m.index + m[0].length),
  }));
  return { params, outputs, modules };
}

/** Keys of the `params: { ... }` block inside the module body that starts at `bodyStart`. */
function moduleParams(text: string, bodyStart: number): string[] {
  const body = text.slice(bodyStart, text.indexOf('\n}', bodyStart));
  const block = /\n\s*params:\s*\{\n([\s\S]*?)\n\s*\}/.exec(body);
  if (!block) return [];
  return Array.from(block[1].matchAll(/^\s*(\w+)\s*:/gm), (m) => m[1]);
}

/**
 * Checks that braces, brackets and parentheses pair up outside strings and comments: a cheap guard
 * against the most common Bicep typos. Returns a description of the first problem, or undefined.
 */
export function findUnbalancedBracket(text: string): string | undefined {
  const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: { char: string; line: number }[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    else if (char === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return `line ${line}: unterminated block comment`;
      line += text.slice(i, end).split('\n').length - 1;
      i = end + 1;
    } else if (char === "'") {
      // Bicep strings escape a quote as \'; the ${...} interpolations in these files hold no quotes.
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j - 1] !== '\\')) {
        if (text[j] === '\n') return `line ${line}: string not closed on its line`;
        j++;
      }
      i = j;
    } else if (char === '(' || char === '[' || char === '{') {
      stack.push({ char, line });
    } else if (char in closers) {
      const open = stack.pop();
      if (open?.char !== closers[char])
        return `line ${line}: '${char}' does not close '${open?.char ?? 'nothing'}'`;
    }
  }
  const open = stack.pop();
  return open ? `line ${open.line}: '${open.char}' is never closed` : undefined;
}

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
