/** SERVICE_HOURS ("08:00-22:00", Asia/Shanghai): when agents can be reached at all. */
const SHANGHAI = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export class ServiceHours {
  private readonly from: number;
  private readonly to: number;

  constructor(spec: string) {
    const [from, to] = spec.split('-').map((hm) => {
      const [h, m] = hm.split(':').map(Number);
      return h! * 60 + m!;
    });
    this.from = from!;
    this.to = to!;
  }

  isOpen(at: Date): boolean {
    const [h, m] = SHANGHAI.format(at).split(':').map(Number);
    const minute = h! * 60 + m!;
    // "22:00-06:00" spans midnight.
    return this.from <= this.to ? minute >= this.from && minute < this.to : minute >= this.from || minute < this.to;
  }
}
