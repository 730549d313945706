import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainReason, stateWords, visibleState, visitorNote } from '../../web/widget/state.ts';

// The widget's state as a visitor reads it: one state at a time, in words, never the server's jargon.

describe('widget state in words', () => {
  it('shows muted only while the assistant waits for the visitor', () => {
    assert.equal(visibleState(undefined, false), 'idle');
    assert.equal(visibleState('listening', true), 'muted');
    assert.equal(visibleState('speaking', true), 'speaking');
    assert.equal(visibleState('thinking', true), 'thinking');
    assert.equal(visibleState('ended', true), 'ended');
    assert.equal(visibleState('listening', false), 'listening');
  });

  it('says each state as a visitor understands it', () => {
    assert.equal(stateWords('listening'), 'Listening…');
    assert.equal(stateWords('thinking'), 'Thinking…');
    assert.equal(stateWords('speaking'), 'Speaking');
    assert.equal(stateWords('muted'), "Muted — the assistant can't hear you");
    assert.equal(stateWords('ended'), 'Call ended');
    assert.equal(stateWords('connecting'), 'Connecting…');
    assert.equal(stateWords('connecting', 'reconnecting…'), 'Reconnecting…');
  });

  it('turns the server\'s reasons into plain ones', () => {
    assert.equal(plainReason('could not reach the assistant'), "Can't reach the assistant. Check your connection and try again.");
    assert.equal(plainReason('origin https://evil.com is not in channels.web.allowedOrigins of "ada"'), 'This assistant is not available on this site.');
    assert.equal(plainReason('"ada" is in 5 conversations already; try again later'), 'The assistant is busy right now. Please try again in a minute.');
    assert.equal(plainReason('voice session failed'), "The assistant's voice could not start. Please try again.");
    assert.equal(plainReason('ECONNRESET at socket.ts:12'), 'Something went wrong. Please try again.');
    assert.equal(stateWords('error', 'could not reach the assistant'), plainReason('could not reach the assistant'));
  });

  it('passes the server\'s plain refusals of a typed message through, and nothing technical', () => {
    assert.equal(visitorNote('a message may be at most 2000 characters (this one has 2001); it was not sent'), 'A message may be at most 2000 characters (this one has 2001); it was not sent.');
    assert.equal(visitorNote('openai-compatible: 500 Internal Server Error'), 'Something went wrong. Please try again.');
  });
});
