// Injected into the bench's page before the widget loads: taps the microphone and every agent
// audio the page plays (the WebRTC track's stream, or the PCM player's AudioContext output) into
// one AudioContext whose AudioWorklet measures the level of every 128-sample block. The blocks go
// to window.taps as [performance.now() ms, rms] pairs, per tap: `mic` and `agent`.

export const PAGE_TAPS = String.raw`(() => {
  window.taps = { mic: [], agent: [] };
  const WORKLET = "class Tap extends AudioWorkletProcessor { constructor() { super(); this.b = []; } process(inputs) { const ch = inputs[0] && inputs[0][0]; let s = 0; if (ch) for (let i = 0; i < ch.length; i++) s += ch[i] * ch[i]; this.b.push(currentTime, ch ? Math.sqrt(s / ch.length) : 0); if (this.b.length >= 80) { this.port.postMessage(this.b); this.b = []; } return true; } } registerProcessor('tap', Tap);";
  let ctx, ready;
  const tapCtx = () => {
    if (!ctx) {
      ctx = new AudioContext();
      ready = ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' })));
    }
    return ctx;
  };
  const tap = async (name, stream) => {
    const c = tapCtx();
    await ready;
    await c.resume();
    const node = new AudioWorkletNode(c, 'tap', { numberOfOutputs: 0 });
    node.port.onmessage = (e) => {
      const ts = c.getOutputTimestamp();
      const offset = ts.performanceTime - ts.contextTime * 1000;
      for (let i = 0; i < e.data.length; i += 2) window.taps[name].push([e.data[i] * 1000 + offset, e.data[i + 1]]);
    };
    c.createMediaStreamSource(stream).connect(node);
  };
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const s = await gum(c);
    void tap('mic', s.clone());
    return s;
  };
  // WebRTC: the remote track's stream, when the widget hands it to its <audio> element.
  const desc = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    get() { return desc.get.call(this); },
    set(v) { if (v) void tap('agent', v); desc.set.call(this, v); },
  });
  // The socket path: whatever the player connects to its context's speakers also goes to a stream we tap.
  const buses = new WeakMap();
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (dest, ...rest) {
    if (dest instanceof AudioDestinationNode && dest.context !== ctx) {
      let bus = buses.get(dest.context);
      if (!bus) {
        const out = dest.context.createMediaStreamDestination();
        bus = out;
        buses.set(dest.context, out);
        void tap('agent', out.stream);
      }
      connect.call(this, bus);
    }
    return connect.call(this, dest, ...rest);
  };
})()`;
