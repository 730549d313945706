import type { Attendee, CollectedField } from '../calendar/types.ts';

/** Who a booking is with, as every calendar receives it: name and email, the first phone, and every other collected field in order. */
export function bookingAttendee(o: { name: string; email: string; timeZone: string; company?: string; fields: CollectedField[] }): Attendee {
  const phone = o.fields.find((f) => f.type === 'phone')?.value;
  const fields = o.fields.map(({ field, type, value, question }) => ({ field, type, value, ...(question ? { question } : {}) }));
  return { name: o.name, email: o.email, timeZone: o.timeZone, ...(o.company ? { company: o.company } : {}), ...(phone ? { phone } : {}), ...(fields.length ? { fields } : {}) };
}
