// The names of the widget's own texts (states, buttons, errors, the default notice): the table per
// language (src/server/widget-texts.ts), the owner's channels.web.widget.texts and the widget
// itself (web/widget) all use these.

/** Every text the widget shows that is not the owner's or the conversation's own. */
export const WIDGET_TEXT_NAMES = [
  'label',
  'start',
  'close',
  'connecting',
  'reconnecting',
  'listening',
  'thinking',
  'speaking',
  'muted',
  'ended',
  'mute',
  'end',
  'send',
  'typeHere',
  'yourMessage',
  'conversation',
  'assistant',
  'you',
  'micUnavailable',
  'unreachable',
  'notOnThisSite',
  'busy',
  'tooMany',
  'notTaking',
  'voiceFailed',
  'failed',
  'tooLong',
  'stillAnswering',
  'notListening',
  'emptyIgnored',
  'conversationEnded',
  'noticeRecorded',
  'noticeTranscribed',
] as const;

export type WidgetTextName = (typeof WIDGET_TEXT_NAMES)[number];

/** The widget's texts in one language, by name. */
export type WidgetTexts = Record<WidgetTextName, string>;
