import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentFile } from '../../src/agent/schema.ts';
import { WIDGET_TEXT_NAMES } from '../../src/agent/widget-text-names.ts';
import { ENGLISH_WIDGET_TEXTS as EN, widgetTexts } from '../../src/server/widget-texts.ts';
import { KNOWN_LANGUAGES } from '../../src/util/language.ts';
import { plainReason, stateWords, visibleState, visitorNote } from '../../web/widget/state.ts';

// The widget's state as a visitor reads it: one state at a time, in words, never the server's jargon.

/** A parsed agent.yaml in `language`, with whatever else it sets. */
const agentFile = (language: string, rest: Record<string, unknown> = {}) => AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'Hi.', language }, ...rest });

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
    assert.equal(stateWords('listening', EN), 'Listening…');
    assert.equal(stateWords('thinking', EN), 'Thinking…');
    assert.equal(stateWords('speaking', EN), 'Speaking');
    assert.equal(stateWords('muted', EN), "Muted — the assistant can't hear you");
    assert.equal(stateWords('ended', EN), 'Call ended');
    assert.equal(stateWords('connecting', EN), 'Connecting…');
    assert.equal(stateWords('connecting', EN, 'reconnecting…'), 'Reconnecting…');
  });

  it('turns the server\'s reasons into plain ones', () => {
    assert.equal(plainReason('could not reach the assistant', EN), "Can't reach the assistant. Check your connection and try again.");
    assert.equal(plainReason('origin https://evil.com is not in channels.web.allowedOrigins of "ada"', EN), 'This assistant is not available on this site.');
    assert.equal(plainReason('"ada" is in 5 conversations already; try again later', EN), 'The assistant is busy right now. Please try again in a minute.');
    assert.equal(plainReason('voice session failed', EN), "The assistant's voice could not start. Please try again.");
    assert.equal(plainReason('ECONNRESET at socket.ts:12', EN), 'Something went wrong. Please try again.');
    assert.equal(stateWords('error', EN, 'could not reach the assistant'), plainReason('could not reach the assistant', EN));
  });

  it('says the server\'s refusals of a typed message in the visitor\'s words, and nothing technical', () => {
    assert.equal(visitorNote('a message may be at most 2000 characters (this one has 2001); it was not sent', EN), 'That message is too long; it was not sent.');
    assert.equal(visitorNote('the agent is still answering an earlier message; wait for its reply before sending more', EN), EN.stillAnswering);
    assert.equal(visitorNote('openai-compatible: 500 Internal Server Error', EN), 'Something went wrong. Please try again.');
  });
});

describe('widget texts follow persona.language', () => {
  it('a pl-PL agent\'s widget config yields Polish states, buttons, errors and notice', () => {
    const pl = widgetTexts(agentFile('pl-PL'));
    assert.equal(stateWords('listening', pl), 'Słucham…');
    assert.equal(stateWords('muted', pl), 'Wyciszono — asystent Cię nie słyszy');
    assert.equal(stateWords('connecting', pl, 'reconnecting…'), 'Ponowne łączenie…');
    assert.equal(plainReason('"ada" is in 5 conversations already; try again later', pl), 'Asystent jest teraz zajęty. Spróbuj ponownie za minutę.');
    assert.equal(visitorNote('a message may be at most 2000 characters (this one has 2001); it was not sent', pl), 'Ta wiadomość jest za długa i nie została wysłana.');
    assert.deepEqual([pl.mute, pl.end, pl.send, pl.label, pl.noticeTranscribed], ['Wycisz', 'Zakończ', 'Wyślij', 'Porozmawiaj z nami', 'Treść tej rozmowy jest zapisywana.']);
  });

  it('every known language has every text; an unknown language gets English', () => {
    for (const language of KNOWN_LANGUAGES) {
      const t = widgetTexts(agentFile(language));
      assert.deepEqual(Object.keys(t).sort(), [...WIDGET_TEXT_NAMES].sort(), language);
      for (const name of WIDGET_TEXT_NAMES) assert.ok(t[name].trim(), `${language}.${name}`);
      if (language !== 'en') assert.notEqual(t.listening, EN.listening, language);
    }
    assert.deepEqual(widgetTexts(agentFile('ja')), EN);
  });

  it('the owner\'s channels.web.widget.texts and label win; the rest stay in the language', () => {
    const t = widgetTexts(agentFile('pl', { channels: { web: { widget: { label: 'Zapytaj nas', texts: { end: 'Rozłącz' } } } } }));
    assert.equal(t.end, 'Rozłącz');
    assert.equal(t.label, 'Zapytaj nas');
    assert.equal(t.mute, 'Wycisz');
    assert.equal(AgentFile.safeParse({ persona: { prompt: 'p', firstMessage: 'Hi.' }, channels: { web: { widget: { texts: { hangUp: 'x' } } } } }).success, false, 'an unknown text name is refused');
  });
});
