export { runTerminalChat, type TerminalChatOptions } from './terminalChat';
export { TerminalSink, type TerminalOutput } from './terminalSink';
