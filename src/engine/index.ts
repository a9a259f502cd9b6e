import type { CarrierPort } from '../carrier/index.js';
import type { Logger } from '../logger.js';
import type { TicketService } from '../tickets/service.js';
import { BackOfficeChecks } from './back-office-checks.js';
import type { CommonContent } from './common-content.js';
import { ComplaintConversation } from './conversation.js';
import type { FlowCatalog } from './flow-catalog.js';
import { FlowRunner } from './flow-runner.js';
import type { OutcomeLog } from './outcome-log.js';
import { TicketLookup } from './ticket-lookup.js';

export interface EngineDeps {
  serviceHours: string;
  catalog: FlowCatalog;
  content: CommonContent;
  carrier: CarrierPort;
  tickets: TicketService;
  outcomes: OutcomeLog;
  logger: Logger;
}

/** Wires the engine's parts; the bot and the terminal chat both get their conversation from here. */
export function createConversation(deps: EngineDeps): ComplaintConversation {
  const logger = deps.logger.child({ component: 'engine' });
  const checks = new BackOfficeChecks(deps.carrier, logger);
  const runner = new FlowRunner(deps.catalog, checks, deps.tickets, deps.content, logger);
  const lookup = new TicketLookup(deps.tickets, deps.carrier, deps.content.texts, logger);
  return new ComplaintConversation({ ...deps, runner, lookup, logger });
}
