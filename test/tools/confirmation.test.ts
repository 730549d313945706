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

  it('refuses when no caller turn followed the read-back yet', () => {
    assert.equal(confirmedAloud('Jane Doe', [caller('Jane Doe'), agent('J-A-N-E D-O-E?')]), false);
  });
});

describe('isAffirmative', () => {
  it('takes plain yeses and refuses hedged or negative answers', () => {
    for (const t of ['yes', 'Yeah, that is it', "That's right", 'Correct!', 'Exactly.', 'mhm']) assert.equal(isAffirmative(t), true, t);
    for (const t of ['no', 'not quite', 'yes wait no', 'Hmm?', 'What?']) assert.equal(isAffirmative(t), false, t);
  });
});
