import type {
  ConfirmationPrompt,
  SurfaceMessage,
  SurfaceSink,
  SurfaceToolCall,
  SurfaceToolResult,
  SurfaceTurnEnd,
} from '../inProcess';

/** ANSI sequences the terminal chat uses (it only writes them to a TTY). */
const ANSI = { clearLine: '\r\x1b[2K', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

/** Where the terminal chat writes. */
export interface TerminalOutput {
  write(text: string): void;
  /** Whether colours and in-place status lines may be used. */
  readonly isTTY: boolean;
  /** Width in columns, to keep the status on one line. */
  readonly columns: number;
}

/**
 * Prints one answer in the terminal: a one-line status (replaced in place, cleared when the text starts),
 * the answer text as it streams, its sources as a numbered list under it, a dim line with the token usage,
 * and any change waiting for confirmation (per item, each field before → after), which the chat then asks
 * about. Control characters from the model or the tools never reach the terminal (no escape sequences).
 */
export class TerminalSink implements SurfaceSink {
  private statusShown = false;
  private textStarted = false;
  private endsWithNewline = true;
  private answerIdValue: string | undefined;
  private readonly prompts: ConfirmationPrompt[] = [];

  constructor(private readonly out: TerminalOutput) {}

  /** The changes the turn asks the user to confirm, in order (shown already; the chat asks y/N for each). */
  get confirmations(): readonly ConfirmationPrompt[] {
    return this.prompts;
  }

  /** The id of the answer's final message (what `/like` and `/dislike` rate), once the turn ended. */
  get answerId(): string | undefined {
    return this.answerIdValue;
  }

  onStatus(text: string): void {
    this.status(text);
  }

  onToolCall(call: SurfaceToolCall): void {
    this.status(`${call.toolName} ${oneLine(JSON.stringify(call.input ?? {}))}`, '⚙ ');
  }

  onToolResult(_result: SurfaceToolResult): void {}

  onTextDelta(delta: string): void {
    if (!this.textStarted) {
      this.clearStatus();
      this.textStarted = true;
      this.write(this.style('bold', 'assistant> '));
    }
    this.write(printable(delta));
  }

  onMessage(message: SurfaceMessage): void {
    if (!message.streamed) {
      this.clearStatus();
      this.write(`${this.style('bold', 'assistant> ')}${printable(message.text)}`);
    }
    this.newline();
    if (message.citations.length > 0) {
      this.write('\nSources:\n');
      for (const citation of message.citations) {
        const { name, url } = citation.appearance;
        this.write(`  [${citation.position}] ${oneLine(name)}${url ? ` <${oneLine(url)}>` : ''}\n`);
      }
    }
  }

  onTurnEnd(end: SurfaceTurnEnd): void {
    this.answerIdValue = end.messageId;
    this.clearStatus();
    this.newline();
    if (end.outcome === 'cancelled') this.write(this.style('dim', '[stopped]\n'));
    const { promptTokens, completionTokens, estimated } = end.usage;
    this.write(
      this.style(
        'dim',
        `(${promptTokens} prompt + ${completionTokens} completion tokens${estimated ? ', estimated' : ''})\n`,
      ),
    );
  }

  onConfirmation(prompt: ConfirmationPrompt): void {
    this.prompts.push(prompt);
    this.clearStatus();
    this.newline();
    this.write(`\n${this.style('bold', oneLine(prompt.title))}\n${oneLine(prompt.intro)}\n`);
    for (const item of prompt.items) {
      this.write(`  ${oneLine(item.heading)}\n`);
      for (const field of item.fields) {
        this.write(`    ${oneLine(field.label)}: ${oneLine(field.before)} → ${oneLine(field.after)}\n`);
      }
    }
  }

  /** Prints how answering a confirmation went (the lines the confirmation handler answered with). */
  showConfirmationResult(lines: readonly string[]): void {
    this.newline();
    const shown = lines.length > 0 ? lines : ['Nothing was changed.'];
    for (const line of shown) this.write(`${oneLine(line)}\n`);
  }

  private status(text: string, icon = '… '): void {
    if (this.textStarted) return;
    const line = `${icon}${oneLine(text)}`.slice(0, Math.max(20, this.out.columns - 1));
    if (this.out.isTTY) {
      this.out.write(`${ANSI.clearLine}${this.style('dim', line)}`);
      this.statusShown = true;
    } else {
      this.write(`${line}\n`);
    }
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.out.write(ANSI.clearLine);
    this.statusShown = false;
  }

  private newline(): void {
    if (!this.endsWithNewline) this.write('\n');
  }

  private write(text: string): void {
    if (text.length === 0) return;
    this.out.write(text);
    this.endsWithNewline = text.endsWith('\n');
  }

  private style(kind: 'dim' | 'bold', text: string): string {
    return this.out.isTTY ? `${ANSI[kind]}${text}${ANSI.reset}` : text;
  }
}

/** Text without control characters other than newlines and tabs. */
function printable(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\n\t]/gu, '');
}

/** Text on one line, without control characters. */
function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
