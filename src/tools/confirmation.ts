// "Read the spelling back before you book" is a rule the code checks, not a hope about the
// model: book_call looks in the transcript for an agent turn that spelled the value out
// letter by letter and a caller turn right after it that said yes.

const SPELLED = /(?:^|[\s,.(])\p{L}(?:\s*[-,.]\s*|\s+)\p{L}(?:\s*[-,.]\s*|\s+)\p{L}(?=$|[\s,.)?!-])/u;
const YES = /^\s*(?:yes|yeah|yep|yup|correct|right|that's right|that is right|exactly|perfect|sure|absolutely|that's it|that's correct|spot on|uh-huh|mhm)\b/i;
const BUT_NO = /\b(?:no|not|nope|wrong|incorrect|actually|wait)\b/i;

const lettersOnly = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** How the value sounds when read back with "dot", "at", "dash", as letters and digits only. */
function spokenLetters(value: string): string {
  const words = value.toLowerCase().replace(/\./g, ' dot ').replace(/@/g, ' at ').replace(/-/g, ' dash ').replace(/_/g, ' underscore ').replace(/\+/g, ' plus ').replace(/['’]/g, ' apostrophe ');
  return lettersOnly(words);
}

/** Whether the caller's words are a plain yes. */
export function isAffirmative(text: string): boolean {
  return YES.test(text) && !BUT_NO.test(text.replace(YES, ''));
}

/** Whether an agent turn spelled `value` out and the caller's next turn confirmed it. */
export function confirmedAloud(value: string, transcript: { role: 'agent' | 'caller'; text: string }[]): boolean {
  const plain = lettersOnly(value);
  const spoken = spokenLetters(value);
  if (!plain) return false;
  for (let i = transcript.length - 2; i >= 0; i--) {
    const turn = transcript[i];
    if (turn.role !== 'agent' || !SPELLED.test(turn.text)) continue;
    const said = lettersOnly(turn.text);
    if (!said.includes(plain) && !said.includes(spoken)) continue;
    const answer = transcript.slice(i + 1).find((t) => t.role === 'caller');
    if (answer && isAffirmative(answer.text)) return true;
  }
  return false;
}
