/**
 * The dialog engine's only view of the provider's back office. Adapters (the embedded simulator, the
 * HTTP client for real systems) implement it; flows never learn which one answered.
 */

export const ACCOUNT_STATUSES = ['active', 'arrears', 'suspended'] as const;
export const ORDER_TYPES = ['install', 'move', 'repair'] as const;
export const ORDER_STATUSES = ['open', 'done'] as const;

export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Account {
  account: string;
  phone: string;
  holder: string;
  /** Safe to show in chat and transcripts: 张三 → 张*, 欧阳娜娜 → 欧**娜. */
  maskedHolder: string;
  address: string;
  region: string;
  status: AccountStatus;
  planMbps: number;
}

/** An area outage or an egress (出口) fault. */
export interface RegionalFault {
  region: string;
  description: string;
  estimatedRecovery: Date;
}

export interface AuthError {
  code: string;
  at: Date;
}

export interface Order {
  id: string;
  account: string;
  type: OrderType;
  createdAt: Date;
  promisedBy: Date;
  status: OrderStatus;
}

/** Either key identifies the account; when both are given both must match, so a wrong pair reveals nothing. */
export interface AccountQuery {
  account?: string;
  phone?: string;
}

export interface CarrierPort {
  findAccount(query: AccountQuery): Promise<Account | null>;
  /** Only an outage whose estimated recovery is still ahead; null when the area is fine. */
  outageFor(region: string): Promise<RegionalFault | null>;
  /** null when the account is unknown. */
  accountStatus(account: string): Promise<AccountStatus | null>;
  /** Newest first. */
  recentAuthErrors(account: string, sinceHours?: number): Promise<AuthError[]>;
  /** Newest first; see orderTiming() for overdue vs within the promised time. */
  ordersFor(account: string, type?: OrderType): Promise<Order[]>;
  /** Accepts a bare host or a full URL; a blocked host blocks its subdomains too. */
  isSiteBlocked(hostOrUrl: string): Promise<boolean>;
  /** Only a fault whose estimated recovery is still ahead. */
  egressFaultFor(region: string): Promise<RegionalFault | null>;
}
