export {
  AllowListedCredentialsFactory,
  guardCredentials,
  type RefusedRequestListener,
} from './allowListedCredentials';
export {
  DEFAULT_SERVICE_URL_HOSTS,
  ServiceUrlAllowList,
  type ServiceUrlAllowListOptions,
  type ServiceUrlRefusal,
} from './serviceUrlAllowList';
export { asAuthenticationError, UnauthorizedOnTokenFailure } from './unauthorizedOnTokenFailure';
export { anonymousListenNotice, isLoopbackHost, type ListenNotice } from './anonymousListenNotice';
export { tokenRejectionReason, UNAUTHORIZED_RESPONSE } from './tokenRejection';
