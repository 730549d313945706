import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confirmedAloud } from '../../src/tools/confirmation.ts';
import { parseSpokenEmail, parseSpokenLetters, sameSpelling, spellOut } from '../../src/tools/spelling.ts';

const ADDRESSES = [
  'john.smith@acme.com',
  'first_last+tag@sub.example.co.uk',
  'anna-maria99@gmail.com',
  'x@y.io',
  'b2b.sales@my-company.pl',
  'at@example.at',
  'see.you@bee.org',
  'jay@gmail.com',
  'o.connor@hotmail.com',
  'dot.com@dot.com',
  'double.u@outlook.com',
  '007@icloud.com',
];

describe('spellOut', () => {
  it('spells an address letter by letter with symbols as words', () => {
    assert.equal(spellOut('john.smith@acme.com'), 'j-o-h-n dot s-m-i-t-h at a-c-m-e dot com');
    assert.equal(spellOut('first_last+tag@sub.example.co.uk'), 'f-i-r-s-t underscore l-a-s-t plus t-a-g at s-u-b dot e-x-a-m-p-l-e dot c-o dot u-k');
  });

  it('says digits one by one and well-known domains as words', () => {
    assert.equal(spellOut('anna-maria99@gmail.com'), 'a-n-n-a dash m-a-r-i-a 9 9 at gmail dot com');
    assert.equal(spellOut('Bob.Lee@Hotmail.COM'), 'b-o-b dot l-e-e at hotmail dot com');
  });

  it('spells a name word by word, keeping capitals and accents', () => {
    assert.equal(spellOut('Zoë Ann'), 'Z-o-ë, A-n-n');
    assert.equal(spellOut("O'Brien-Smith"), 'O apostrophe B-r-i-e-n dash S-m-i-t-h');
    assert.equal(spellOut('  Jan   Kowalski '), 'J-a-n, K-o-w-a-l-s-k-i');
  });

  it('satisfies the booking gate that checks the spelling was read back', () => {
    for (const value of ['anna-maria99@gmail.com', 'john.smith@acme.com', 'Zoë Ann']) {
      const transcript = [
        { role: 'agent' as const, text: `Let me check: ${spellOut(value)}. Is that right?` },
        { role: 'caller' as const, text: 'Yes, that is right.' },
      ];
      assert.equal(confirmedAloud(value, transcript), true, value);
    }
  });
});

describe('parseSpokenEmail', () => {
  it('round-trips every address through its spelled-out form', () => {
    for (const address of ADDRESSES) assert.equal(parseSpokenEmail(spellOut(address)), address, spellOut(address));
  });

  it('reads what speech recognisers write', () => {
    const cases: [string, string][] = [
      ['john dot smith at gmail dot com', 'john.smith@gmail.com'],
      ['j o h n dot smith at acme dot co dot uk', 'john.smith@acme.co.uk'],
      ['john underscore s at example dot org', 'john_s@example.org'],
      ['john at the rate acme dot com', 'john@acme.com'],
      ['john at the rate of acme dot com', 'john@acme.com'],
      ['John at sign acme dot com', 'john@acme.com'],
      ['jay oh aitch en at acme dot com', 'john@acme.com'],
      ['john smith at acme.com', 'johnsmith@acme.com'],
      ['anna dash maria hyphen x minus y at example dot com', 'anna-maria-x-y@example.com'],
      ['john plus news at gmail dot com', 'john+news@gmail.com'],
      ['JOHN DOT SMITH AT GMAIL DOT COM', 'john.smith@gmail.com'],
      ['My email is john at gmail dot com.', 'john@gmail.com'],
      ['J-O-H-N at acme dot com', 'john@acme.com'],
      ['j as in juliet o h n at acme dot com', 'john@acme.com'],
      ['anna double l at example dot com', 'annall@example.com'],
      ['john four two at gmail dot com', 'john42@gmail.com'],
      ['smith-jones at acme dot com', 'smith-jones@acme.com'],
      ['john at example dot at', 'john@example.at'],
      ['john@acme.com', 'john@acme.com'],
    ];
    for (const [spoken, address] of cases) assert.equal(parseSpokenEmail(spoken), address, spoken);
  });

  it('keeps a lone letter name as a word', () => {
    assert.equal(parseSpokenEmail('jay at gmail dot com'), 'jay@gmail.com');
  });

  it('returns null when no valid address can be formed', () => {
    for (const spoken of ['john at gmail', 'john dot smith', 'at gmail dot com', 'john at gmail dot', 'john at dot com', 'john dot dot smith at acme dot com', '']) {
      assert.equal(parseSpokenEmail(spoken), null, spoken);
    }
  });
});

describe('parseSpokenLetters', () => {
  it('joins spelled letters however they were written down', () => {
    for (const spoken of ['j o h n', 'J-O-H-N', 'J, O, H, N.', 'j as in juliet o h n', 'jay oh aitch en', 'juliet oscar hotel november', 'capital J o h n']) {
      assert.equal(parseSpokenLetters(spoken), 'john', spoken);
    }
  });

  it('keeps accents, doubled letters, dashes and apostrophes', () => {
    assert.equal(parseSpokenLetters('Z o ë'), 'zoë');
    assert.equal(parseSpokenLetters('a double n'), 'ann');
    assert.equal(parseSpokenLetters('a n n dash m a r i e'), 'ann-marie');
    assert.equal(parseSpokenLetters('o apostrophe b r i e n'), "o'brien");
  });

  it('reads a spelled-out name back word by word', () => {
    assert.equal(parseSpokenLetters(spellOut('Zoë Ann')), 'zoë ann');
  });
});

describe('sameSpelling', () => {
  it('ignores case and spaces but not letters', () => {
    assert.equal(sameSpelling('John Smith', 'johnsmith'), true);
    assert.equal(sameSpelling('Zoë', 'ZOË'), true);
    assert.equal(sameSpelling('Jon', 'John'), false);
    assert.equal(sameSpelling('Zoe', 'Zoë'), false);
  });
});
