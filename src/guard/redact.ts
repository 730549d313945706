// Log redaction (`PARLEY_REDACT_LOGS`, on by default in `parley serve`): email addresses and phone
// numbers in log lines are masked, keeping just enough to tell two apart when debugging.

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g;
// International or long national numbers, with the usual separators; not dates, times or ids.
const PHONE = /(?<![\w/:.-])\+?\(?\d(?:[\s().-]{0,2}\d){7,14}(?![\w/:-])/g;

/** The text with emails shown as `j…@…` and phone numbers as `…1234`. */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '$1…@…').replace(PHONE, (m) => `…${m.replace(/\D/g, '').slice(-4)}`);
}
