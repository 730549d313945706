import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answeredByKind, ANSWERED_BY, machineDetectionFields, soundsLikeVoicemail, statusCallbackFields, voicemailTwiml } from '../../src/channels/twilio/answering-machine.ts';

describe('answering machines: Twilio AMD fields and values, voicemail greetings', () => {
  it('asks for asynchronous detection that waits for the end of the message', () => {
    assert.deepEqual(Object.fromEntries(machineDetectionFields('https://v.example/v1/twilio/amd?agent=a')), {
      MachineDetection: 'DetectMessageEnd',
      AsyncAmd: 'true',
      AsyncAmdStatusCallback: 'https://v.example/v1/twilio/amd?agent=a',
      AsyncAmdStatusCallbackMethod: 'POST',
    });
    assert.deepEqual(statusCallbackFields('https://v.example/s'), [['StatusCallback', 'https://v.example/s'], ['StatusCallbackMethod', 'POST'], ['StatusCallbackEvent', 'completed']]);
  });

  it('reads every documented AnsweredBy', () => {
    assert.deepEqual(
      ANSWERED_BY.map((v) => answeredByKind(v)),
      ['human', 'machine', 'machine-greeting-over', 'machine-greeting-over', 'machine-greeting-over', 'fax', 'unknown'],
    );
    assert.equal(answeredByKind('something new'), 'unknown');
  });

  it('hears a voicemail greeting, not a person who mentions a message', () => {
    for (const g of [
      "Hi, you've reached Ann. Please leave a message after the tone.",
      'The person you are calling is not available. Please record your message at the tone.',
      "You have reached the voicemail of 415 555 0100. Leave your name and number and we'll call you back.",
      'Sorry, I can’t take your call right now, leave me a message after the beep',
    ]) assert.ok(soundsLikeVoicemail(g), g);
    for (const p of ['Hello?', 'Yes, speaking. Did you get my message?', 'Hi, who is this? I am not available on Friday.', "Leave a message? No, I'm here."]) assert.ok(!soundsLikeVoicemail(p), p);
  });

  it('voicemail TwiML: the message escaped, an optional pause first, then hang up', () => {
    assert.equal(voicemailTwiml('Hi <Ann> & co', { language: 'en-GB' }), '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-GB">Hi &lt;Ann&gt; &amp; co</Say><Hangup/></Response>');
    assert.equal(voicemailTwiml('Hi', { pauseSec: 20, language: 'en' }), '<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="20"/><Say>Hi</Say><Hangup/></Response>');
  });
});
