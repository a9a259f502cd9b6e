const HOUR_MS = 3_600_000;

/** The provider's promise (seeds/service-standards.txt 2.1): first answer within 24 h, resolved within 48 h. */
export interface SlaSettings {
  firstResponseHours: number;
  resolveHours: number;
}

export const DEFAULT_SLA: SlaSettings = { firstResponseHours: 24, resolveHours: 48 };

export function checkSla(sla: SlaSettings): SlaSettings {
  for (const [name, hours] of Object.entries(sla)) {
    if (!Number.isFinite(hours) || hours <= 0) throw new Error(`ticket SLA ${name} must be a positive number of hours`);
  }
  if (sla.resolveHours < sla.firstResponseHours) throw new Error('ticket SLA resolveHours must not be shorter than firstResponseHours');
  return sla;
}

/** The clock starts when the customer complained, even if the ticket was written later from the outbox. */
export function dueDates(receivedAt: Date, sla: SlaSettings): { firstResponseDue: Date; resolveDue: Date } {
  return {
    firstResponseDue: new Date(receivedAt.getTime() + sla.firstResponseHours * HOUR_MS),
    resolveDue: new Date(receivedAt.getTime() + sla.resolveHours * HOUR_MS),
  };
}
