import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Logger } from '../../shared/logging';
import type { ConfirmationPrompt, InProcessChannel } from '../inProcess';
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

/** How the user answered a y/N question; `closed` when the input ended first. */
type YesNo = 'yes' | 'no' | 'closed';

/**
 * The interactive terminal chat: reads a question per line, answers it through the assistant with the answer
 * streaming token by token, and keeps the conversation's history in the bot's store. `exit` or an empty
 * line quits; Ctrl+C during an answer stops that answer (its model request is aborted) and the chat goes
 * on; Ctrl+C at the prompt quits. When the answer proposes a change to existing work items, the change is
 * shown and the chat asks `Confirm? [y/N]`: "y" confirms and anything else (Ctrl+C too) cancels, through
 * the same confirmation handler as Teams' card buttons. Resolves when the chat ends.
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
      '/like or /dislike [comment] rates the last answer; changes to work items ask y/N first.\n\n',
  );

  let answering: AbortController | undefined;
  /** Set while a question, with its confirmations, is being handled: other lines are ignored meanwhile. */
  let busy = false;
  /** Set while a y/N question waits for its line. */
  let confirming: ((answer: YesNo) => void) | undefined;
  let current: Promise<void> | undefined;
  let lastAnswerId: string | undefined;
  const userId = `terminal-${options.userName}`;
  let inputEnded = false;
  const closed = new Promise<void>((resolve) => rl.once('close', resolve));
  rl.once('close', () => {
    inputEnded = true;
    confirming?.('closed');
  });
  rl.on('SIGINT', () => {
    if (confirming) {
      output.write('\n');
      confirming('no');
    } else if (answering) answering.abort();
    else rl.close();
  });

  const askYesNo = (question: string): Promise<YesNo> =>
    new Promise((resolve) => {
      confirming = (answer) => {
        confirming = undefined;
        resolve(answer);
      };
      rl.setPrompt(question);
      rl.prompt();
    });

  /** Shows `Confirm? [y/N]` for a change the answer proposed, and sends the answer to the assistant. */
  const confirmStep = async (sink: TerminalSink, prompt: ConfirmationPrompt): Promise<void> => {
    const answer = await askYesNo(`${prompt.confirmLabel}? [y/N] `);
    // The input ended: the change stays pending until it expires; nothing is sent.
    if (answer === 'closed') return;
    try {
      const result = await options.channel.sendConfirmation({
        conversationId,
        userId,
        confirmationId: prompt.confirmationId,
        decision: answer === 'yes' ? 'confirm' : 'cancel',
      });
      sink.showConfirmationResult(result.lines);
    } catch (error) {
      options.logger.error({ err: error }, 'the terminal confirmation failed');
      output.write('The confirmation could not be handled; see the log.\n');
    }
  };

  const ask = async (question: string): Promise<TerminalSink> => {
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
    return sink;
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
    if (confirming) {
      confirming(/^\s*y(?:es)?\s*$/i.test(line) ? 'yes' : 'no');
      return;
    }
    // Lines typed while an answer streams are ignored: one question at a time.
    if (busy) return;
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
    busy = true;
    current = ask(question)
      .then(async (sink) => {
        for (const prompt of sink.confirmations) await confirmStep(sink, prompt);
      })
      .finally(() => {
        busy = false;
        output.write('\n');
        if (inputEnded) return;
        rl.setPrompt(PROMPT);
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
