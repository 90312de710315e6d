import os from 'node:os';
import { ConfigError } from '../src/shared/errors';

/**
 * The two streamers the benchmark runs in its own process: the bot's own, and teams-ai 1.7.4's stock
 * StreamingResponse.
 */
export type StreamImplementation = 'teams-streamer' | 'library';

/** Every in-process streamer, in the order the benchmark runs them by default. */
export const STREAM_IMPLEMENTATIONS: readonly StreamImplementation[] = ['teams-streamer', 'library'];

/**
 * The production multi-process mode: `node build/src/index.js` with BOT_PROCESSES (`--processes`) started as
 * a child process, a cluster primary whose workers share the port, each with the bot's own streamer.
 */
export const CLUSTER_IMPLEMENTATION = 'teams-streamer-cluster';

/** What one pass runs: an in-process streamer, or the bot as a cluster of processes. */
export type PassImplementation = StreamImplementation | typeof CLUSTER_IMPLEMENTATION;

/** Every pass kind `--implementations` accepts. */
export const PASS_IMPLEMENTATIONS: readonly PassImplementation[] = [
  ...STREAM_IMPLEMENTATIONS,
  CLUSTER_IMPLEMENTATION,
];

/** True for the pass that starts the bot as a cluster of child processes. */
export function isClusterPass(implementation: PassImplementation): boolean {
  return implementation === CLUSTER_IMPLEMENTATION;
}

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
  /** The passes to run, in this order, each on a fresh bot. */
  implementations: PassImplementation[];
  /**
   * Worker processes of the `teams-streamer-cluster` pass (BOT_PROCESSES; `--processes auto` is resolved to
   * this machine's available parallelism when the parameters are read).
   */
  processes: number;
  /** Folder for the JSON result. */
  resultsDir: string;
  /**
   * Also run the stripped path (authenticate the activity, send the informative update, nothing else) under
   * the same load, as the floor of the informative latency. On by default; `--no-floor` turns it off.
   */
  floor: boolean;
  /** `--capacity`: search each streamer's capacity instead of the one fixed load. */
  capacity: boolean;
  /** Capacity search: how long each step keeps its steady arrival rate. */
  capacityDurationMs: number;
  /** Capacity search: the first rate tried (turns per second). */
  capacityStartRate: number;
  /** Capacity search: the lowest rate tried. */
  capacityMinRate: number;
  /** Capacity search: the highest rate tried. */
  capacityMaxRate: number;
  /** Capacity search: at most this many steps per streamer. */
  capacitySteps: number;
  /** Capacity search: bisection stops once lowest failing / highest passing rate ≤ this. */
  capacityPrecision: number;
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
  processes: 2,
  floor: true,
  capacity: false,
  capacityDurationMs: 10_000,
  capacityStartRate: 10,
  capacityMinRate: 1,
  capacityMaxRate: 200,
  capacitySteps: 8,
  capacityPrecision: 1.1,
};

/** The most conversations one pass may have (a capacity step has rate × duration of them). */
const MAX_CONVERSATIONS = 5000;

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
    | 'rampMs'
    | 'capacityDurationMs'
    | 'capacityStartRate'
    | 'capacityMinRate'
    | 'capacityMaxRate'
    | 'capacitySteps'
    | 'capacityPrecision';
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
    max: MAX_CONVERSATIONS,
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
  {
    flag: '--capacity-duration-ms',
    env: 'BENCH_CAPACITY_DURATION_MS',
    key: 'capacityDurationMs',
    integer: true,
    min: 1000,
    max: 60000,
  },
  {
    flag: '--capacity-start-rate',
    env: 'BENCH_CAPACITY_START_RATE',
    key: 'capacityStartRate',
    integer: false,
    min: 0.1,
    max: 1000,
  },
  {
    flag: '--capacity-min-rate',
    env: 'BENCH_CAPACITY_MIN_RATE',
    key: 'capacityMinRate',
    integer: false,
    min: 0.1,
    max: 1000,
  },
  {
    flag: '--capacity-max-rate',
    env: 'BENCH_CAPACITY_MAX_RATE',
    key: 'capacityMaxRate',
    integer: false,
    min: 0.1,
    max: 1000,
  },
  {
    flag: '--capacity-steps',
    env: 'BENCH_CAPACITY_STEPS',
    key: 'capacitySteps',
    integer: true,
    min: 1,
    max: 20,
  },
  {
    flag: '--capacity-precision',
    env: 'BENCH_CAPACITY_PRECISION',
    key: 'capacityPrecision',
    integer: false,
    min: 1.01,
    max: 2,
  },
];

/** Switches: given without a value on the command line; their variables take 1/true/yes or 0/false/no. */
interface SwitchSetting {
  flag: string;
  env: string;
  key: 'floor' | 'capacity';
  /** The value the flag sets (`--no-floor` sets floor to false). */
  value: boolean;
}

const SWITCH_SETTINGS: readonly SwitchSetting[] = [
  { flag: '--capacity', env: 'BENCH_CAPACITY', key: 'capacity', value: true },
  { flag: '--no-floor', env: 'BENCH_FLOOR', key: 'floor', value: false },
];

const IMPLEMENTATIONS_SETTING = { flag: '--implementations', env: 'BENCH_IMPLEMENTATIONS' } as const;
const RESULTS_DIR_SETTING = { flag: '--results-dir', env: 'BENCH_RESULTS_DIR' } as const;
const PROCESSES_SETTING = { flag: '--processes', env: 'BENCH_PROCESSES' } as const;
/** Most worker processes `--processes` may ask for (the bot's own limit for BOT_PROCESSES is 64). */
const MAX_PROCESSES = 16;

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
  `  --implementations <list>    BENCH_IMPLEMENTATIONS     comma-separated, from ${PASS_IMPLEMENTATIONS.join(',')} (default ${STREAM_IMPLEMENTATIONS.join(',')});`,
  `                                                        ${CLUSTER_IMPLEMENTATION}: node build/src/index.js as a child process with BOT_PROCESSES`,
  `  --processes <n|auto>        BENCH_PROCESSES           worker processes of the ${CLUSTER_IMPLEMENTATION} pass (default ${DEFAULT_PARAMETERS.processes}; auto: one per core)`,
  `  --results-dir <dir>         BENCH_RESULTS_DIR         where the JSON result goes (default bench/results)`,
  `  --no-floor                  BENCH_FLOOR=0             skip the floor pass (authenticate + informative update only, same load)`,
  `  --capacity                  BENCH_CAPACITY=1          search each streamer's capacity (steady arrival rates) instead of the fixed load`,
  `  --capacity-duration-ms <ms> BENCH_CAPACITY_DURATION_MS  how long each step keeps its rate (default ${DEFAULT_PARAMETERS.capacityDurationMs})`,
  `  --capacity-start-rate <n>   BENCH_CAPACITY_START_RATE   first rate tried, turns/s (default ${DEFAULT_PARAMETERS.capacityStartRate})`,
  `  --capacity-min-rate <n>     BENCH_CAPACITY_MIN_RATE     lowest rate tried (default ${DEFAULT_PARAMETERS.capacityMinRate})`,
  `  --capacity-max-rate <n>     BENCH_CAPACITY_MAX_RATE     highest rate tried (default ${DEFAULT_PARAMETERS.capacityMaxRate}; rate × duration at most ${MAX_CONVERSATIONS} conversations)`,
  `  --capacity-steps <n>        BENCH_CAPACITY_STEPS        at most this many steps per streamer (default ${DEFAULT_PARAMETERS.capacitySteps})`,
  `  --capacity-precision <x>    BENCH_CAPACITY_PRECISION    stop once lowest failing / highest passing rate ≤ x (default ${DEFAULT_PARAMETERS.capacityPrecision})`,
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
  const { flags, switches } = readFlags(argv);
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
  const processes = pick(flags, env, PROCESSES_SETTING);
  if (processes) parameters.processes = parseProcesses(processes.name, processes.value);
  for (const setting of SWITCH_SETTINGS) {
    if (switches.has(setting.flag)) parameters[setting.key] = setting.value;
    else {
      const fromEnv = env[setting.env]?.trim();
      if (fromEnv) parameters[setting.key] = parseSwitch(setting.env, fromEnv);
    }
  }
  checkCapacityBounds(parameters);
  return parameters;
}

function parseSwitch(name: string, text: string): boolean {
  const value = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be 1/true/yes or 0/false/no, got "${text}"`);
}

/** min ≤ start ≤ max, and the highest rate's step stays within the conversation limit. */
function checkCapacityBounds(parameters: BenchParameters): void {
  const { capacityMinRate: min, capacityStartRate: start, capacityMaxRate: max } = parameters;
  if (!(min <= start && start <= max)) {
    throw new ConfigError(
      '--capacity-start-rate',
      `must lie within --capacity-min-rate and --capacity-max-rate (got ${min} ≤ ${start} ≤ ${max})`,
    );
  }
  if (capacityStepConversations(max, parameters.capacityDurationMs) > MAX_CONVERSATIONS) {
    throw new ConfigError(
      '--capacity-max-rate',
      `× --capacity-duration-ms must stay within ${MAX_CONVERSATIONS} conversations (got ${max}/s for ${parameters.capacityDurationMs} ms)`,
    );
  }
}

/** Conversations of a capacity step: rate × duration, at least 1. */
export function capacityStepConversations(rate: number, durationMs: number): number {
  return Math.max(1, Math.round((rate * durationMs) / 1000));
}

/**
 * The parameters of one capacity step: `rate` turns per second spread evenly over the step's duration
 * (the `--ramp-ms` mechanism), everything else as given.
 */
export function capacityStepParameters(parameters: BenchParameters, rate: number): BenchParameters {
  return {
    ...parameters,
    conversations: capacityStepConversations(rate, parameters.capacityDurationMs),
    rampMs: parameters.capacityDurationMs,
  };
}

/** True when the command line asks for the usage text. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function readFlags(argv: readonly string[]): { flags: Map<string, string>; switches: Set<string> } {
  const known = new Set([
    ...NUMBER_SETTINGS.map((setting) => setting.flag),
    IMPLEMENTATIONS_SETTING.flag,
    RESULTS_DIR_SETTING.flag,
    PROCESSES_SETTING.flag,
  ]);
  const switchFlags = new Set(SWITCH_SETTINGS.map((setting) => setting.flag));
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (switchFlags.has(argument)) {
      switches.add(argument);
      continue;
    }
    const [flag, inline] = argument.includes('=') ? splitOnce(argument, '=') : [argument, undefined];
    if (switchFlags.has(flag)) throw new ConfigError(flag, 'takes no value');
    if (!known.has(flag)) throw new ConfigError(flag, `is not an option\n${USAGE}`);
    const value = inline ?? argv[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new ConfigError(flag, 'needs a value');
    }
    if (inline === undefined) index += 1;
    flags.set(flag, value);
  }
  return { flags, switches };
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

/**
 * `auto` (one worker per core, as BOT_PROCESSES=auto: `os.availableParallelism()`) or a whole number from 1 to
 * {@link MAX_PROCESSES}. 1 is allowed: the bot then runs as one child process without a cluster primary.
 */
function parseProcesses(name: string, text: string): number {
  if (text.toLowerCase() === 'auto') return Math.min(MAX_PROCESSES, os.availableParallelism());
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < 1 || value > MAX_PROCESSES) {
    throw new ConfigError(name, `must be auto or a whole number from 1 to ${MAX_PROCESSES}, got "${text}"`);
  }
  return value;
}

function parseImplementations(name: string, text: string): PassImplementation[] {
  const chosen: PassImplementation[] = [];
  for (const part of text.split(',').map((item) => item.trim())) {
    const known = PASS_IMPLEMENTATIONS.find((implementation) => implementation === part);
    if (!known) {
      throw new ConfigError(name, `"${part}" is not one of ${PASS_IMPLEMENTATIONS.join(', ')}`);
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
