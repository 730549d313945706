import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpokenTimeline } from '../../src/session/voice/heard-text.ts';

describe('SpokenTimeline.heardText', () => {
  const timeline = () => {
    const t = new SpokenTimeline();
    t.add('Sure, I can help with that.', 1000);
    t.add('The audit costs 2,400 euros.', 800);
    t.extendLast(200);
    t.add('Anything else?', 600);
    return t;
  };

  it('keeps whole pieces played and whole words of the piece playing', () => {
    const t = timeline();
    assert.equal(t.totalMs, 2600);
    assert.equal(t.heardText(0), '');
    assert.equal(t.heardText(1000), 'Sure, I can help with that.');
    // 500 ms into a 1000 ms piece of 28 characters: 14 characters, "The audit cost" → whole words only.
    assert.equal(t.heardText(1500), 'Sure, I can help with that. The audit');
    assert.equal(t.heardText(5000), t.fullText());
  });

  it('drops a half-heard first word', () => {
    assert.equal(timeline().heardText(50), '');
  });
});
