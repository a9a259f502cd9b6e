export type EntityType =
  | 'account'
  | 'phone'
  | 'error_code'
  | 'speed_mbps'
  | 'ticket_number'
  | 'url'
  | 'device'
  | 'light_state';

/** One entity found in a customer's message; `text`, `start` and `end` refer to the original string. */
export interface Entity {
  type: EntityType;
  value: string | number;
  text: string;
  start: number;
  end: number;
}

/**
 * An extractor's proposal, with offsets into the normalised text. `priority` decides between
 * overlapping proposals of different extractors (higher wins, then the longer span).
 */
export interface Candidate {
  type: EntityType;
  value: string | number;
  start: number;
  end: number;
  priority: number;
}

/** Every extractor has this shape, so index.ts only wires them together. */
export type Extractor = (normalized: string) => Candidate[];
