export { TicketService, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type TicketServiceOptions } from './service.js';
export { ticketNotice } from './messages.js';
export { TRANSITIONS } from './status.js';
export { PROVISIONAL_REFERENCE, TICKET_NUMBER } from './numbering.js';
export {
  TicketError,
  InvalidTicketInputError,
  TicketNotFoundError,
  InvalidTransitionError,
  ForbiddenTransitionError,
  TicketConflictError,
  StorageUnavailableError,
  isStorageUnavailable,
} from './errors.js';
export * from './types.js';
