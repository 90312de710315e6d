import { DefaultChatTransport, readUIMessageStream, type UIMessageChunk } from 'ai';
import type { ChatUIMessage } from '../../src/surfaces/web';

/** What a `useChat` client received for one question. */
export interface ChatExchange {
  chunks: UIMessageChunk[];
  /** The assistant message as `useChat` assembles it from the chunks. */
  message: ChatUIMessage | undefined;
}

/**
 * Asks the web chat one question exactly as `useChat` does: the AI SDK's own DefaultChatTransport POSTs
 * `{id, messages, trigger}` and parses (and validates) the Server-Sent Events into UI message chunks, and
 * `readUIMessageStream` assembles them into the assistant message.
 */
export async function askWebChat(options: {
  baseUrl: string;
  apiKey: string;
  chatId: string;
  question: string;
  abortSignal?: AbortSignal;
  /** Called with each chunk as it arrives. */
  onChunk?: (chunk: UIMessageChunk) => void;
}): Promise<ChatExchange> {
  const transport = new DefaultChatTransport<ChatUIMessage>({
    api: `${options.baseUrl}/api/chat`,
    headers: { authorization: `Bearer ${options.apiKey}` },
  });
  const stream = await transport.sendMessages({
    trigger: 'submit-message',
    chatId: options.chatId,
    messageId: undefined,
    messages: [{ id: `q-${Date.now()}`, role: 'user', parts: [{ type: 'text', text: options.question }] }],
    abortSignal: options.abortSignal,
  });
  const chunks: UIMessageChunk[] = [];
  const [forChunks, forMessage] = stream.tee();
  const reading = (async () => {
    const reader = forChunks.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      chunks.push(value);
      options.onChunk?.(value);
    }
  })();
  let message: ChatUIMessage | undefined;
  for await (const snapshot of readUIMessageStream<ChatUIMessage>({
    stream: forMessage,
  })) {
    message = snapshot;
  }
  await reading;
  return { chunks, message };
}

/** The text of an assistant message (its text parts joined). */
export function textOf(message: ChatUIMessage | undefined): string {
  return (message?.parts ?? []).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}
