// The fixed lines the voice session says without asking the model.

export const REPROMPT = 'Are you still there?';
export const CANNOT_HEAR = "Sorry, I'm having trouble hearing you right now. Please try again a little later. Goodbye!";
export const WRAP_UP = "We're almost out of time for this call, so let's wrap up.";
export const TIME_UP = "We've reached the time limit for this call. Thank you for calling, goodbye!";
export const GOODBYE = "I haven't heard anything for a while, so I'll end the call here. Thanks for calling, goodbye!";
/** Said when a tool takes a while, so the caller is not left in silence. */
export const FILLER = 'One moment. ';
export const FILLERS: Record<string, string> = {
  check_availability: "One moment, I'm checking the calendar. ",
  book_call: "One moment, I'm booking that for you. ",
  search_knowledge: 'Let me look that up. ',
  // The caller hears Twilio's hold message instead; a filler would only be cut off.
  transfer: '',
  press_keys: '',
};

/** `heard` without the filler line the session slipped into a reply (whole, or cut at its end). */
export function withoutFiller(heard: string, filler: string | undefined): string {
  const f = filler?.trim();
  if (!f) return heard;
  const i = heard.indexOf(f);
  if (i >= 0) return `${heard.slice(0, i)} ${heard.slice(i + f.length)}`.replace(/\s+/g, ' ').trim();
  for (let k = f.length - 1; k > 0; k--) if (heard.endsWith(f.slice(0, k))) return heard.slice(0, heard.length - k).trim();
  return heard;
}
