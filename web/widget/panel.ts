import { closeIcon, micIcon } from './icons.ts';
import { WidgetSession, type SessionView } from './session.ts';
import { stateWords, visibleState, visitorNote, type SessionState, type WidgetState } from './state.ts';
import type { WidgetTexts } from '../../src/agent/widget-text-names.ts';

// The launcher and the conversation panel, for mouse, keyboard and screen readers alike: every
// control is a real <button> with a name, focus goes into the panel when it opens and back to the
// launcher when it closes, Escape closes, and the state is a sentence in a status region.

export interface Look {
  label: string;
  avatar: string | null;
  notice: string | null;
  /** The widget's own words, in the agent's language. */
  texts: WidgetTexts;
}

export class WidgetPanel {
  #host: HTMLElement;
  #server: string;
  #agent: string;
  #launcher: HTMLButtonElement;
  #panel: HTMLElement;
  #status: HTMLElement;
  #captions: HTMLElement;
  #announcer: HTMLElement;
  #input: HTMLInputElement;
  #typing: HTMLFormElement;
  #mute: HTMLButtonElement;
  #controls: HTMLElement;
  #session: WidgetSession | undefined;
  #sessionState: SessionState | undefined;
  #reason: string | undefined;
  #muted = false;
  #t: WidgetTexts;
  #partial: Partial<Record<'agent' | 'caller', HTMLElement>> = {};

  constructor(box: HTMLElement, host: HTMLElement, server: string, agent: string, look: Look) {
    this.#host = host;
    this.#server = server;
    this.#agent = agent;
    const t = (this.#t = look.texts);
    const avatar = () => (look.avatar ? el('img', { class: 'avatar', src: look.avatar, alt: '' }) : micIcon());
    this.#launcher = el('button', { class: 'bubble', type: 'button', 'aria-label': `${look.label}: ${t.start}`, 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, avatar(), look.label) as HTMLButtonElement;
    const close = el('button', { class: 'close', type: 'button', 'aria-label': t.close }, closeIcon());
    this.#status = el('span', { class: 'status', role: 'status' });
    const title = el('div', { class: 'title' }, el('span', { class: 'name', id: 'parley-title' }, look.label), this.#status);
    const head = el('div', { class: 'head' }, look.avatar ? avatar() : el('span', { class: 'glyph' }, micIcon()), title, close);
    const notice = look.notice ? el('p', { class: 'notice' }, look.notice) : '';
    // Captions are for reading; the announcer tells screen readers each finished line once, not every partial word.
    this.#captions = el('div', { class: 'captions', role: 'log', 'aria-live': 'off', 'aria-label': t.conversation, tabindex: '0' });
    this.#announcer = el('div', { class: 'sr-only', 'aria-live': 'polite' });
    this.#input = el('input', { type: 'text', placeholder: t.typeHere, 'aria-label': t.yourMessage, autocomplete: 'off' }) as HTMLInputElement;
    this.#typing = el('form', { class: 'type', hidden: '' }, this.#input, el('button', { type: 'submit' }, t.send)) as HTMLFormElement;
    this.#mute = el('button', { type: 'button', class: 'mute', 'aria-pressed': 'false' }, t.mute) as HTMLButtonElement;
    const end = el('button', { type: 'button', class: 'end' }, t.end);
    this.#controls = el('div', { class: 'controls', hidden: '' }, this.#mute, end);
    this.#panel = el('div', { class: 'panel', hidden: '', role: 'dialog', 'aria-labelledby': 'parley-title' }, head, notice, this.#captions, this.#announcer, this.#typing, this.#controls);
    box.append(this.#panel, this.#launcher);

    this.#launcher.addEventListener('click', () => this.open());
    close.addEventListener('click', () => this.close());
    end.addEventListener('click', () => this.#session?.end());
    this.#mute.addEventListener('click', () => this.#setMuted(!this.#muted));
    this.#panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') (e.preventDefault(), this.close());
    });
    this.#typing.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.#session?.say(this.#input.value)) this.#input.value = '';
    });
    this.#render();
  }

  /** Opens the panel and starts a conversation (a new one when the last has ended). */
  open(): void {
    if (this.#session) return;
    this.#panel.hidden = false;
    this.#launcher.hidden = true;
    this.#launcher.setAttribute('aria-expanded', 'true');
    this.#controls.hidden = false;
    this.#captions.replaceChildren();
    this.#partial = {};
    this.#setMuted(false);
    this.#session = new WidgetSession(this.#server, this.#agent, this.#view);
    void this.#session.start();
    // Into the panel: the close button first, so a keyboard user can always get out.
    this.#panel.querySelector<HTMLElement>('.close')!.focus();
  }

  /** Closes the panel; a running conversation ends politely, as with End. */
  close(): void {
    this.#session?.end();
    this.#panel.hidden = true;
    this.#launcher.hidden = false;
    this.#launcher.setAttribute('aria-expanded', 'false');
    this.#launcher.focus();
  }

  #setMuted(on: boolean): void {
    this.#muted = on;
    this.#mute.setAttribute('aria-pressed', String(on));
    this.#session?.mute(on);
    this.#render();
  }

  /** The one place the widget's state is set: the host attribute and the words both follow it. */
  #render(): void {
    const state: WidgetState = visibleState(this.#sessionState, this.#muted);
    this.#host.setAttribute('data-state', state);
    this.#status.textContent = stateWords(state, this.#t, this.#reason);
  }

  #note(text: string): void {
    this.#captions.append(el('div', { class: 'note' }, text));
    this.#announcer.textContent = text;
  }

  #view: SessionView = {
    state: (s, detail) => {
      this.#sessionState = s;
      this.#reason = detail;
      this.#render();
      if (s === 'ended' || s === 'error') {
        this.#note(stateWords(s, this.#t, detail));
        this.#controls.hidden = true;
        this.#typing.hidden = true;
        this.#launcher.hidden = false;
        this.#launcher.setAttribute('aria-expanded', String(!this.#panel.hidden));
        this.#session = undefined;
      }
    },
    caption: (role, text, final) => {
      let line = this.#partial[role];
      if (!line) {
        line = el('div', { class: `line ${role}`, 'data-role': role });
        this.#captions.append(line);
        this.#partial[role] = line;
      }
      line.textContent = text;
      line.classList.toggle('partial', !final);
      if (final) {
        this.#partial[role] = undefined;
        this.#announcer.textContent = `${role === 'agent' ? this.#t.assistant : this.#t.you}: ${text}`;
      }
      this.#captions.scrollTop = this.#captions.scrollHeight;
    },
    mode: (m) => {
      this.#host.setAttribute('data-mode', m);
      this.#typing.hidden = false;
      this.#mute.hidden = m !== 'voice';
      if (m === 'text') this.#note(this.#t.micUnavailable);
    },
    note: (text) => this.#note(visitorNote(text, this.#t)),
    transport: (t) => this.#host.setAttribute('data-transport', t),
  };
}

export function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}
