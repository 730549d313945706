import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmedAloud, isAffirmative } from '../../src/tools/confirmation.ts';

type Turn = { role: 'agent' | 'caller'; text: string };
const agent = (text: string): Turn => ({ role: 'agent', text });
const caller = (text: string): Turn => ({ role: 'caller', text });

describe('confirmedAloud: the spelling was read back and the caller said yes', () => {
  it('accepts an email spelled with dashes and "dot"/"at", then a yes', () => {
    const t = [caller("It's john.smith@acme.com"), agent('Let me check: j-o-h-n dot s-m-i-t-h at a-c-m-e dot com, is that right?'), caller('Yes, that is right.')];
    assert.equal(confirmedAloud('john.smith@acme.com', t), true);
  });

  it('accepts letters separated by spaces or commas, and a name', () => {
    assert.equal(confirmedAloud('Jane Doe', [agent('So that is J, A, N, E — D, O, E?'), caller('Yep.')]), true);
    assert.equal(confirmedAloud('joe@x.io', [agent('That is j o e at x dot i o, correct?'), caller('correct')]), true);
  });

  it("accepts a name with an apostrophe spelled out", () => {
    assert.equal(confirmedAloud("O'Brien", [agent('That is O apostrophe B-r-i-e-n?'), caller('Yes.')]), true);
  });

  it('refuses when the agent only repeated the value without spelling it', () => {
    assert.equal(confirmedAloud('john.smith@acme.com', [agent('Your email is john.smith@acme.com, right?'), caller('Yes.')]), false);
  });

  it('refuses when the caller said no or corrected it', () => {
    const spelled = agent('That is j-o-h-n dot s-m-i-t-h at a-c-m-e dot com?');
    assert.equal(confirmedAloud('john.smith@acme.com', [spelled, caller('No, it is jon without the h.')]), false);
    assert.equal(confirmedAloud('john.smith@acme.com', [spelled, caller('Yes, but actually it is acme dot io.')]), false);
  });

  it('refuses when the spelled value differs from what is being booked', () => {
    const t = [agent('That is j-o-n dot s-m-i-t-h at a-c-m-e dot com?'), caller('Yes.')];
    assert.equal(confirmedAloud('john.smith@acme.com', t), false);
  });

  it('refuses a turn that says the name and email as words and spells something else ("y-e-s?")', () => {
    const t = [agent('Booking for Bob Evil, bob@evil.com, y-e-s?'), caller('yes')];
    assert.equal(confirmedAloud('Bob Evil', t), false);
    assert.equal(confirmedAloud('bob@evil.com', t), false);
    const mixed = [agent('Bob Evil, that is b-o-b at evil dot com; and y-e-s?'), caller('yes')];
    assert.equal(confirmedAloud('bob@evil.com', mixed), false, 'a domain label nobody says whole must be spelled');
    assert.equal(confirmedAloud('Bob Evil', [agent('B-o-b E-v-i-l-l-e?'), caller('yes')]), false, 'the spelled run goes on: it is another name');
    assert.equal(confirmedAloud('Bob Evil', [agent('J-a-c-o-b E-v-i-l?'), caller('yes')]), false, 'the spelled run starts earlier: it is another name');
  });

  it('accepts the read-backs spellOut gives, with dashes, spaces, commas, "at" and "dot", in any case', () => {
    const cases: [string, string][] = [
      ['Bob Evil', 'That is B-o-b, E-v-i-l. Right?'],
      ['Bob Evil', 'b o b e v i l?'],
      ['bob@evil.com', 'b-o-b at e-v-i-l dot com?'],
      ['bob@evil.com', 'B O B AT E V I L DOT C O M, correct?'],
      ['anna-maria99@mail.co.uk', 'a-n-n-a dash m-a-r-i-a 9 9 at m-a-i-l dot c-o dot u-k?'],
      ['anna-maria99@gmail.com', 'a-n-n-a hyphen m-a-r-i-a nine nine at gmail dot com?'],
      ['Zoë Ann', 'Z-o-ë, A-n-n?'],
      ['Bob Evil', 'B-o-b E-v-i-l, b-o-b at e-v-i-l dot com?'],
      ['bob@evil.com', 'B-o-b E-v-i-l, b-o-b at e-v-i-l dot com?'],
    ];
    for (const [value, readBack] of cases) assert.equal(confirmedAloud(value, [agent(readBack), caller('Yes.')]), true, `${value} ← ${readBack}`);
  });

  it('refuses when no caller turn followed the read-back yet', () => {
    assert.equal(confirmedAloud('Jane Doe', [caller('Jane Doe'), agent('J-A-N-E D-O-E?')]), false);
  });
});

describe('isAffirmative', () => {
  it('takes plain yeses and refuses hedged or negative answers', () => {
    for (const t of ['yes', 'Yeah, that is it', "That's right", 'Correct!', 'Exactly.', 'mhm']) assert.equal(isAffirmative(t), true, t);
    for (const t of ['no', 'not quite', 'yes wait no', 'Hmm?', 'What?']) assert.equal(isAffirmative(t), false, t);
  });

  it('hears a yes in the languages callers speak, and a no inside it', () => {
    for (const t of ['Tak', 'Tak, zgadza się.', 'Mhm, tak.', 'Ja, genau', 'Oui, c’est ça', 'Sí, correcto', 'Sim', 'Да']) assert.equal(isAffirmative(t), true, t);
    for (const t of ['Tak, ale nie — Nowacki', 'Nie', 'Ja, aber nicht so', 'Sí, pero no', 'Siema', 'yesterday', 'Japan']) assert.equal(isAffirmative(t), false, t);
  });
});
