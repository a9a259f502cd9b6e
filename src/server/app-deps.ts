import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';

/** What every route module may use: the configuration, the logger and the shared services. */
export type AppDeps = Services & { logger: Logger; config: Config };
