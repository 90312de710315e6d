import { createHash } from 'node:crypto';

/**
 * The chat page's script: plain JavaScript, no build step. It POSTs the question to /api/chat as `useChat`
 * does (`{id, messages}`), reads the Server-Sent Events of the UI message stream with fetch and a stream
 * reader, and renders text deltas, the status line, tool activity, sources and the token usage. Stop aborts
 * the request, which stops the answer on the server. A change waiting for confirmation shows with what will
 * change (before → after) and Confirm / Cancel buttons, which POST the answer to /api/chat/confirm.
 */
const SCRIPT = String.raw`
(() => {
  const $ = (selector) => document.querySelector(selector);
  const list = $('#messages');
  const form = $('#ask');
  const input = $('#question');
  const send = $('#send');
  const stop = $('#stop');
  const keyInput = $('#key');
  const chatId = crypto.randomUUID();
  const history = [];
  let controller = null;

  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromFragment) {
    sessionStorage.setItem('chatKey', fromFragment);
    window.history.replaceState(null, '', location.pathname);
  }
  keyInput.value = sessionStorage.getItem('chatKey') || '';
  keyInput.addEventListener('change', () => sessionStorage.setItem('chatKey', keyInput.value.trim()));

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addMessage(role) {
    const item = element('li', 'message ' + role);
    item.append(element('div', 'role', role === 'user' ? 'You' : 'Assistant'));
    const body = element('div', 'text');
    item.append(body);
    list.append(item);
    item.scrollIntoView({ block: 'end' });
    return { item, body };
  }

  function showError(view, text) {
    view.item.append(element('div', 'error', text));
  }

  function setStreaming(on) {
    stop.hidden = !on;
    send.disabled = on;
    input.disabled = on;
    if (!on) input.focus();
  }

  function addFeedback(view, answerId) {
    const bar = element('div', 'feedback');
    const like = element('button', 'like', '👍');
    const dislike = element('button', 'dislike', '👎');
    like.type = dislike.type = 'button';
    like.title = 'Good answer';
    dislike.title = 'Bad answer';
    const rate = async (reaction) => {
      like.disabled = dislike.disabled = true;
      try {
        const response = await fetch('/api/chat/feedback', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + keyInput.value.trim() },
          body: JSON.stringify({ chatId, answerId, reaction }),
        });
        if (!response.ok) throw new Error('The feedback was not stored (' + response.status + ').');
        bar.replaceChildren(element('span', 'thanks', 'Thanks for the feedback.'));
      } catch (error) {
        like.disabled = dislike.disabled = false;
        showError(view, error.message || String(error));
      }
    };
    like.addEventListener('click', () => rate('like'));
    dislike.addEventListener('click', () => rate('dislike'));
    bar.append(like, dislike);
    view.item.append(bar);
  }

  function addConfirmation(view, prompt) {
    const box = element('div', 'confirmation');
    box.dataset.confirmationId = prompt.confirmationId;
    box.append(element('div', 'confirmation-title', prompt.title), element('div', 'confirmation-intro', prompt.intro));
    for (const item of prompt.items || []) {
      box.append(element('div', 'confirmation-item', item.heading));
      const table = element('table', 'confirmation-fields');
      for (const field of item.fields || []) {
        const row = element('tr');
        row.append(element('th', '', field.label), element('td', 'before', field.before), element('td', 'arrow', '→'),
          element('td', 'after', field.after));
        table.append(row);
      }
      box.append(table);
    }
    const buttons = element('div', 'confirmation-buttons');
    const confirm = element('button', 'confirm', prompt.confirmLabel);
    const cancel = element('button', 'cancel', prompt.cancelLabel);
    confirm.type = cancel.type = 'button';
    const answer = async (decision) => {
      confirm.disabled = cancel.disabled = true;
      try {
        const response = await fetch('/api/chat/confirm', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + keyInput.value.trim() },
          body: JSON.stringify({ chatId, confirmationId: prompt.confirmationId, decision }),
        });
        if (!response.ok) throw new Error('The confirmation was not handled (' + response.status + ').');
        const result = await response.json();
        const outcome = element('div', 'confirmation-outcome');
        const lines = result.lines && result.lines.length > 0 ? result.lines : ['Nothing was changed.'];
        for (const line of lines) outcome.append(element('div', '', line));
        buttons.replaceWith(outcome);
      } catch (error) {
        confirm.disabled = cancel.disabled = false;
        showError(view, error.message || String(error));
      }
    };
    confirm.addEventListener('click', () => answer('confirm'));
    cancel.addEventListener('click', () => answer('cancel'));
    buttons.append(confirm, cancel);
    box.append(buttons);
    view.item.append(box);
  }

  async function ask(question) {
    const user = addMessage('user');
    user.body.textContent = question;
    history.push({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: question }] });
    const view = addMessage('assistant');
    view.item.setAttribute('aria-busy', 'true');
    const status = element('div', 'status');
    view.item.insertBefore(status, view.body);
    const tools = element('ul', 'tools');
    const sources = element('ol', 'sources');
    let text = '';
    controller = new AbortController();
    setStreaming(true);
    try {
      const response = await fetch('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + keyInput.value.trim() },
        body: JSON.stringify({ id: chatId, messages: history, trigger: 'submit-message' }),
        signal: controller.signal,
      });
      if (response.status === 401) throw new Error('The chat API key is missing or wrong. Enter the key above.');
      if (!response.ok || !response.body) {
        let detail = '';
        try { detail = (await response.json()).error || ''; } catch (ignored) { /* not JSON */ }
        throw new Error('The server answered ' + response.status + (detail ? ': ' + detail : '.'));
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
          if (!data || data === '[DONE]') continue;
          const part = JSON.parse(data);
          if (part.type === 'text-delta') {
            text += part.delta;
            view.body.textContent = text;
            status.textContent = '';
          } else if (part.type === 'data-status') {
            if (!text) status.textContent = part.data.text;
          } else if (part.type === 'tool-input-available') {
            const tool = element('li', 'tool', 'Tool: ' + part.toolName);
            tool.id = 'tool-' + part.toolCallId;
            tools.append(tool);
            view.item.insertBefore(tools, view.body);
          } else if (part.type === 'tool-output-available') {
            const tool = document.getElementById('tool-' + part.toolCallId);
            if (tool) tool.textContent += part.output && part.output.ok === false ? ' (failed)' : ' (done)';
          } else if (part.type === 'source-url' || part.type === 'source-document') {
            const entry = element('li', 'source');
            entry.value = Number(part.sourceId) || sources.children.length + 1;
            // Only web links become hrefs: a javascript: or data: URL in a source must never be clickable.
            if (part.type === 'source-url' && /^https?:\/\//i.test(part.url)) {
              const link = element('a', '', part.title || part.url);
              link.href = part.url;
              link.target = '_blank';
              link.rel = 'noopener noreferrer';
              entry.append(link);
            } else {
              entry.append(element('span', 'document', part.title || part.url));
            }
            sources.append(entry);
            if (!sources.isConnected) view.item.append(element('div', 'sources-title', 'Sources'), sources);
          } else if (part.type === 'data-confirmation') {
            addConfirmation(view, part.data);
          } else if (part.type === 'error') {
            showError(view, part.errorText);
          } else if (part.type === 'finish') {
            const metadata = part.messageMetadata || {};
            const usage = metadata.usage;
            if (usage) {
              view.item.append(element('div', 'usage', usage.inputTokens + ' prompt + ' + usage.outputTokens +
                ' completion tokens' + (usage.estimated ? ' (estimated)' : '')));
            }
            if (metadata.answerId && metadata.outcome === 'completed') addFeedback(view, metadata.answerId);
          }
          list.scrollTop = list.scrollHeight;
        }
      }
      history.push({ id: crypto.randomUUID(), role: 'assistant', parts: [{ type: 'text', text }] });
    } catch (error) {
      if (error.name === 'AbortError') {
        view.item.append(element('div', 'stopped', 'Stopped.'));
        history.push({ id: crypto.randomUUID(), role: 'assistant', parts: [{ type: 'text', text }] });
      } else {
        showError(view, error.message || String(error));
      }
    } finally {
      status.textContent = '';
      view.item.removeAttribute('aria-busy');
      controller = null;
      setStreaming(false);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || controller) return;
    input.value = '';
    ask(question);
  });
  stop.addEventListener('click', () => controller && controller.abort());
})();
`;

const STYLE = `
  :root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f7f9; }
  body { margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1rem; background: #464775; color: #fff; }
  header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
  header input { width: 16rem; }
  #messages { list-style: none; margin: 0; padding: 1rem; flex: 1; overflow-y: auto; }
  .message { max-width: 48rem; margin: 0 auto .75rem; padding: .75rem 1rem; border-radius: .5rem; background: #fff;
    box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .message.user { background: #e8ebfa; }
  .role { font-weight: 600; font-size: .8rem; color: #616161; margin-bottom: .25rem; }
  .text { white-space: pre-wrap; line-height: 1.45; }
  .status { color: #616161; font-style: italic; }
  .tools { margin: .25rem 0; padding-left: 1.2rem; color: #616161; font-size: .85rem; }
  .sources-title { margin-top: .5rem; font-weight: 600; font-size: .8rem; color: #616161; }
  .sources { margin: .25rem 0 0; padding-left: 1.5rem; font-size: .9rem; }
  .usage { margin-top: .5rem; color: #8a8886; font-size: .75rem; }
  .feedback { margin-top: .25rem; display: flex; gap: .25rem; align-items: center; }
  .feedback button { padding: .1rem .4rem; background: none; border: 1px solid #e1dfdd; border-radius: .25rem; }
  .thanks { color: #616161; font-size: .8rem; }
  .error { margin-top: .5rem; color: #a4262c; font-weight: 600; }
  .confirmation { margin-top: .75rem; padding: .75rem; border: 1px solid #c7c9e8; border-radius: .5rem;
    background: #f5f5fc; }
  .confirmation-title { font-weight: 600; }
  .confirmation-intro { color: #616161; font-size: .85rem; margin-bottom: .5rem; }
  .confirmation-item { font-weight: 600; margin-top: .5rem; }
  .confirmation-fields th { text-align: left; font-weight: normal; color: #616161; padding-right: .75rem; }
  .confirmation-fields .before { text-decoration: line-through; color: #8a8886; }
  .confirmation-fields .arrow { padding: 0 .4rem; color: #616161; }
  .confirmation-buttons { margin-top: .75rem; display: flex; gap: .5rem; }
  .confirmation-buttons .confirm { background: #464775; color: #fff; border: 0; border-radius: .25rem; }
  .confirmation-outcome { margin-top: .5rem; }
  .stopped { margin-top: .5rem; color: #8a8886; font-style: italic; }
  form { display: flex; gap: .5rem; padding: .75rem 1rem; background: #fff; border-top: 1px solid #e1dfdd; }
  #question { flex: 1; padding: .5rem; font: inherit; }
  button { padding: .5rem 1rem; font: inherit; cursor: pointer; }
  #stop { background: #a4262c; color: #fff; border: 0; border-radius: .25rem; }
`;

/**
 * The Content-Security-Policy of the page: only its own inline script (by hash) and requests to itself, and
 * no other site may frame it (clickjacking; served with `X-Frame-Options: DENY` as well).
 */
export const CHAT_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stream Assistant · chat</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Stream Assistant</h1>
  <label>API key <input id="key" type="password" autocomplete="off" placeholder="CHAT_API_KEY"></label>
</header>
<ol id="messages" aria-live="polite"></ol>
<form id="ask">
  <input id="question" autocomplete="off" placeholder="Ask something, e.g. How do I connect to the VPN?" aria-label="Question">
  <button id="send" type="submit">Send</button>
  <button id="stop" type="button" hidden>Stop</button>
</form>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** The chat page (GET /chat): self-contained HTML with an inline script, no external requests. */
export function renderChatPage(): string {
  return PAGE;
}
