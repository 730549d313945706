// A callee asking not to be called again, recognised in their own words (in code, so no model
// can miss it): "don't call me again", "take me off your list", "stop calling me"…

const ASKS = [
  /\b(?:don'?t|do not|never|please don'?t) (?:ever )?(?:call|ring|phone|contact) (?:me|us|this number|here)(?: ever)? again\b/,
  /\b(?:stop|quit) (?:calling|ringing|phoning|contacting) (?:me|us|this number|here)\b/,
  /\b(?:remove|take|delete|cross) (?:me|us|my number|this number) (?:off|from) (?:your|the|this) (?:\w+ )?(?:list|database|records)\b/,
  /\b(?:put|add) (?:me|us|my number|this number) (?:on|to) (?:your|the) do[- ]not[- ]call list\b/,
  /\bdo[- ]not[- ]call list\b/,
  /\b(?:don'?t|do not) (?:call|ring) (?:me|us|this number|here) anymore\b/,
];

/** Whether the caller's words ask to be left alone for good. */
export function asksNotToBeCalled(text: string): boolean {
  const t = text.toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, ' ');
  return ASKS.some((re) => re.test(t));
}
