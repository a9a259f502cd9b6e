export type {
  Account,
  AccountQuery,
  AccountStatus,
  AuthError,
  CarrierPort,
  Order,
  OrderStatus,
  OrderType,
  RegionalFault,
} from './port.js';
export { ACCOUNT_STATUSES, ORDER_STATUSES, ORDER_TYPES } from './port.js';
export { CarrierConfigError, CarrierUnavailableError, type CarrierFailure } from './errors.js';
export { createCarrier, DEMO_FIXTURES_PATH, type CarrierSettings } from './factory.js';
export { CarrierSimulator, type SimulatorOptions } from './simulator.js';
export { HttpCarrier, type HttpCarrierOptions } from './http-carrier.js';
export { loadFixturesFile, parseFixtures } from './fixtures-loader.js';
export type { Fixtures } from './fixtures-schema.js';
export { orderTiming, type OrderTiming } from './order-timing.js';
export { maskHolder } from './holder-mask.js';
