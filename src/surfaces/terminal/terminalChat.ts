import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Logger } from '../../shared/logging';
import type { InProcessChannel } from '../inProcess';
import { TerminalSink, type TerminalOutput } from './terminalSink';

/** What the terminal chat runs on. */
export interface TerminalChatOptions {
  /** The assistant on the `terminal` channel. */
  channel: InProcessChannel;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** The conversation to continue (as printed, or without its `terminal-` prefix); a new one when left out. */
  conversationId?: string;
  userName: string;
  /** One line under the greeting, e.g. which model answers. */
  banner?: string;
  logger: Logger;
}

const PROMPT = 'you> ';

/**
 * The interactive terminal chat: reads a question per line, answers it through the assistant with the answer
 * streaming token by token, and keeps the conversation's history in the bot's store. `exit` or an empty
 * line quits; Ctrl+C during an answer stops that answer (its model request is aborted) and the chat goes
 * on; Ctrl+C at the prompt quits. Resolves when the chat ends.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const given = options.conversationId;
  const conversationId = given?.startsWith('terminal-') ? given : `terminal-${given ?? randomUUID()}`;
  const output: TerminalOutput = {
    write: (text) => {
      options.output.write(text);
    },
    get isTTY() {
      return options.output.isTTY === true;
    },
    get columns() {
      return options.output.columns ?? 80;
    },
  };
  const rl = readline.createInterface({
    input: options.input,
    output: options.output,
    terminal: options.output.isTTY === true,
    historySize: 100,
  });
  output.write(
    `Stream Assistant · terminal chat (conversation ${conversationId})\n` +
      (options.banner ? `${options.banner}\n` : '') +
      'Ask a question. An empty line or "exit" quits; Ctrl+C stops an answer;\n' +
      '/like or /dislike [comment] rates the last answer.\n\n',
  );

  let answering: AbortController | undefined;
  let current: Promise<void> | undefined;
  let lastAnswerId: string | undefined;
  const userId = `terminal-${options.userName}`;
  const closed = new Promise<void>((resolve) => rl.once('close', resolve));
  rl.on('SIGINT', () => {
    if (answering) answering.abort();
    else rl.close();
  });

  const ask = async (question: string): Promise<void> => {
    answering = new AbortController();
    const sink = new TerminalSink(output);
    try {
      await options.channel.ask({
        conversationId,
        userId,
        userName: options.userName,
        text: question,
        signal: answering.signal,
        sink,
      });
      if (sink.answerId) lastAnswerId = sink.answerId;
    } catch (error) {
      options.logger.error({ err: error }, 'the terminal chat turn failed');
      output.write(`\nThe assistant failed: ${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      answering = undefined;
    }
  };

  const rate = async (reaction: 'like' | 'dislike', comment: string): Promise<void> => {
    if (!lastAnswerId) {
      output.write('There is no answer to rate yet.\n');
      return;
    }
    try {
      await options.channel.sendFeedback({
        conversationId,
        userId,
        messageId: lastAnswerId,
        reaction,
        comment,
      });
      output.write(`Thanks, your ${reaction} was stored with the last answer.\n`);
    } catch (error) {
      options.logger.error({ err: error }, 'terminal feedback failed');
      output.write('The feedback could not be stored; see the log.\n');
    }
  };

  rl.on('line', (line) => {
    // Lines typed while an answer streams are ignored: one question at a time.
    if (answering) return;
    const question = line.trim();
    if (question === '' || question.toLowerCase() === 'exit') {
      rl.close();
      return;
    }
    const command = /^\/(like|dislike)\b\s*(.*)$/i.exec(question);
    if (command) {
      const reaction = command[1]?.toLowerCase() === 'like' ? 'like' : 'dislike';
      current = rate(reaction, command[2] ?? '').then(() => rl.prompt());
      return;
    }
    current = ask(question).then(() => {
      output.write('\n');
      rl.prompt();
    });
  });
  rl.setPrompt(PROMPT);
  rl.prompt();
  await closed;
  // Input ended (Ctrl+D) while an answer was streaming: stop it and let the turn finish its bookkeeping.
  answering?.abort();
  await current;
  output.write('Bye.\n');
}
