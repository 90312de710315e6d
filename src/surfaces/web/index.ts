export {
  CHAT_API_PATH,
  CHAT_CONFIRM_PATH,
  CHAT_FEEDBACK_PATH,
  CHAT_PAGE_PATH,
  WebChat,
  type WebChatOptions,
} from './chatRoutes';
export {
  MAX_FEEDBACK_COMMENT_CHARS,
  MAX_QUESTION_CHARS,
  parseChatRequest,
  parseConfirmationRequest,
  parseFeedbackRequest,
  type ChatRequest,
  type ConfirmationRequest,
  type FeedbackRequest,
} from './chatRequest';
export { CHAT_PAGE_CSP, renderChatPage } from './chatPage';
export {
  UIMessageSink,
  type ChatDataParts,
  type ChatMessageMetadata,
  type ChatUIMessage,
  type ChatUsageMetadata,
} from './uiMessageSink';
