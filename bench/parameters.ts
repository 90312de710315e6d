import { ConfigError } from '../src/shared/errors';

/** The two streamers the benchmark compares: the bot's own, and teams-ai 1.7.4's stock StreamingResponse. */
export type StreamImplementation = 'teams-streamer' | 'library';

/** Every streamer the benchmark knows, in the order it runs them. */
export const STREAM_IMPLEMENTATIONS: readonly StreamImplementation[] = ['teams-streamer', 'library'];

/** What one benchmark run does. */
export interface BenchParameters {
  /** Concurrent 1:1 conversations, each sending one message. */
  conversations: number;
  /** The model's delay before the first token of each completion. */
  timeToFirstTokenMs: number;
  /** The model's pace after the first token. */
  tokensPerSecond: number;
  /** Length of each scripted answer, in the offline model's tokens (words and punctuation pieces). */
  answerTokens: number;
  /** Share (0..1) of conversations whose model first calls `search_knowledge`, so a tool round happens. */
  toolShare: number;
  /**
   * Conversations each fresh bot answers before the measured load (and the RSS baseline), so that module
   * loading and JIT compilation do not land on whichever streamer runs first. Not measured.
   */
  warmupConversations: number;
  /** 0: all inbound messages at once (the default); otherwise spread evenly over this many ms. */
  rampMs: number;
  /** The streamers to run, in this order, each on a fresh bot. */
  implementations: StreamImplementation[];
  /** Folder for the JSON result. */
  resultsDir: string;
}

/** The defaults from the issue. */
export const DEFAULT_PARAMETERS: Omit<BenchParameters, 'resultsDir'> = {
  conversations: 200,
  timeToFirstTokenMs: 500,
  tokensPerSecond: 40,
  answerTokens: 120,
  toolShare: 0.3,
  warmupConversations: 5,
  rampMs: 0,
  implementations: [...STREAM_IMPLEMENTATIONS],
};

/**
 * The prompt's `max_tokens` is 1000 and the model cuts longer answers short (finish reason 'length'), which
 * would make every answer differ from its script; stay below it.
 */
const MAX_ANSWER_TOKENS = 900;

interface NumberSetting {
  flag: string;
  env: string;
  key:
    | 'conversations'
    | 'timeToFirstTokenMs'
    | 'tokensPerSecond'
    | 'answerTokens'
    | 'toolShare'
    | 'warmupConversations'
    | 'rampMs';
  integer: boolean;
  min: number;
  max: number;
}

const NUMBER_SETTINGS: readonly NumberSetting[] = [
  {
    flag: '--conversations',
    env: 'BENCH_CONVERSATIONS',
    key: 'conversations',
    integer: true,
    min: 1,
    max: 5000,
  },
  {
    flag: '--ttft-ms',
    env: 'BENCH_TTFT_MS',
    key: 'timeToFirstTokenMs',
    integer: true,
    min: 0,
    max: 30000,
  },
  {
    flag: '--tokens-per-second',
    env: 'BENCH_TOKENS_PER_SECOND',
    key: 'tokensPerSecond',
    integer: false,
    min: 1,
    max: 10000,
  },
  {
    flag: '--answer-tokens',
    env: 'BENCH_ANSWER_TOKENS',
    key: 'answerTokens',
    integer: true,
    min: 5,
    max: MAX_ANSWER_TOKENS,
  },
  { flag: '--tool-share', env: 'BENCH_TOOL_SHARE', key: 'toolShare', integer: false, min: 0, max: 1 },
  { flag: '--ramp-ms', env: 'BENCH_RAMP_MS', key: 'rampMs', integer: true, min: 0, max: 60000 },
  {
    flag: '--warmup',
    env: 'BENCH_WARMUP',
    key: 'warmupConversations',
    integer: true,
    min: 0,
    max: 100,
  },
];

const IMPLEMENTATIONS_SETTING = { flag: '--implementations', env: 'BENCH_IMPLEMENTATIONS' } as const;
const RESULTS_DIR_SETTING = { flag: '--results-dir', env: 'BENCH_RESULTS_DIR' } as const;

/** One line per setting, for `--help`. */
export const USAGE = [
  'Usage: node build/bench/runBenchmark.js [options]   (every option also reads its environment variable)',
  `  --conversations <n>         BENCH_CONVERSATIONS       concurrent 1:1 conversations (default ${DEFAULT_PARAMETERS.conversations})`,
  `  --ttft-ms <ms>              BENCH_TTFT_MS             model time to first token (default ${DEFAULT_PARAMETERS.timeToFirstTokenMs})`,
  `  --tokens-per-second <n>     BENCH_TOKENS_PER_SECOND   model pace (default ${DEFAULT_PARAMETERS.tokensPerSecond})`,
  `  --answer-tokens <n>         BENCH_ANSWER_TOKENS       answer length in tokens (default ${DEFAULT_PARAMETERS.answerTokens}, at most ${MAX_ANSWER_TOKENS})`,
  `  --tool-share <0..1>         BENCH_TOOL_SHARE          share of conversations with a search_knowledge round (default ${DEFAULT_PARAMETERS.toolShare})`,
  `  --ramp-ms <ms>              BENCH_RAMP_MS             spread the inbound messages over this long (default 0: all at once)`,
  `  --warmup <n>                BENCH_WARMUP              unmeasured conversations per fresh bot first (default ${DEFAULT_PARAMETERS.warmupConversations})`,
  `  --implementations <list>    BENCH_IMPLEMENTATIONS     comma-separated, from ${STREAM_IMPLEMENTATIONS.join(',')} (default both)`,
  `  --results-dir <dir>         BENCH_RESULTS_DIR         where the JSON result goes (default bench/results)`,
].join('\n');

/**
 * Reads the parameters from command-line flags (`--conversations 500` or `--conversations=500`), falling back
 * to environment variables, then to the defaults. A flag wins over its environment variable.
 * @throws ConfigError naming the flag or variable that is unknown or out of range.
 */
export function parseParameters(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  defaultResultsDir: string,
): BenchParameters {
  const flags = readFlags(argv);
  const parameters: BenchParameters = {
    ...DEFAULT_PARAMETERS,
    implementations: [...DEFAULT_PARAMETERS.implementations],
    resultsDir: defaultResultsDir,
  };
  for (const setting of NUMBER_SETTINGS) {
    const source = pick(flags, env, setting);
    if (source) parameters[setting.key] = parseNumber(source.name, source.value, setting);
  }
  const implementations = pick(flags, env, IMPLEMENTATIONS_SETTING);
  if (implementations) {
    parameters.implementations = parseImplementations(implementations.name, implementations.value);
  }
  const resultsDir = pick(flags, env, RESULTS_DIR_SETTING);
  if (resultsDir) parameters.resultsDir = resultsDir.value;
  return parameters;
}

/** True when the command line asks for the usage text. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set([
    ...NUMBER_SETTINGS.map((setting) => setting.flag),
    IMPLEMENTATIONS_SETTING.flag,
    RESULTS_DIR_SETTING.flag,
  ]);
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const [flag, inline] = argument.includes('=') ? splitOnce(argument, '=') : [argument, undefined];
    if (!known.has(flag)) throw new ConfigError(flag, `is not an option\n${USAGE}`);
    const value = inline ?? argv[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new ConfigError(flag, 'needs a value');
    }
    if (inline === undefined) index += 1;
    flags.set(flag, value);
  }
  return flags;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

function pick(
  flags: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv,
  setting: { flag: string; env: string },
): { name: string; value: string } | undefined {
  const flag = flags.get(setting.flag);
  if (flag !== undefined) return { name: setting.flag, value: flag };
  const fromEnv = env[setting.env]?.trim();
  return fromEnv ? { name: setting.env, value: fromEnv } : undefined;
}

function parseNumber(name: string, text: string, setting: NumberSetting): number {
  const value = Number(text);
  const kind = setting.integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(value) || (setting.integer && !Number.isInteger(value))) {
    throw new ConfigError(name, `must be ${kind}, got "${text}"`);
  }
  if (value < setting.min || value > setting.max) {
    throw new ConfigError(name, `must be ${kind} from ${setting.min} to ${setting.max}, got ${text}`);
  }
  return value;
}

function parseImplementations(name: string, text: string): StreamImplementation[] {
  const chosen: StreamImplementation[] = [];
  for (const part of text.split(',').map((item) => item.trim())) {
    const known = STREAM_IMPLEMENTATIONS.find((implementation) => implementation === part);
    if (!known) {
      throw new ConfigError(name, `"${part}" is not one of ${STREAM_IMPLEMENTATIONS.join(', ')}`);
    }
    if (!chosen.includes(known)) chosen.push(known);
  }
  return chosen;
}

/**
 * How long to wait for every final message: four times an answer's own duration (two model calls for a tool
 * round) plus 20 s, within 30 s to 4 minutes (36 s with the defaults), plus the ramp.
 */
export function finalsDeadlineMs(parameters: BenchParameters): number {
  const answerMs =
    2 * parameters.timeToFirstTokenMs + (parameters.answerTokens / parameters.tokensPerSecond) * 1000;
  return Math.min(240_000, Math.max(30_000, 4 * answerMs + 20_000)) + parameters.rampMs;
}
