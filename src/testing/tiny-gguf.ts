import { writeFileSync } from 'node:fs';

// A llama-architecture GGUF of a few hundred KB with random weights and a tiny vocabulary, so the
// local model runtime can be loaded, streamed from and cancelled in tests without downloading a
// real model. It talks nonsense; that is enough to exercise everything but the model's judgement.
// Format: GGUF v3 (header, key/values, tensor infos, 32-byte aligned little-endian f32 data).

const T = { U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;
const ALIGN = 32;

type Value = { t: 'u32'; v: number } | { t: 'f32'; v: number } | { t: 'bool'; v: boolean } | { t: 'str'; v: string } | { t: 'strs'; v: string[] } | { t: 'f32s'; v: number[] } | { t: 'i32s'; v: number[] };

/** The shape of the tiny model; small defaults load in milliseconds. */
export interface TinyModelShape {
  embd?: number;
  layers?: number;
  ff?: number;
  heads?: number;
  context?: number;
  seed?: number;
  /** Words added to the vocabulary besides the 256 byte tokens. */
  words?: string[];
  /**
   * Weights that always begin a tool call in node-llama-cpp's Llama 2 syntax (" ||call: "): the
   * blocks add nothing to the residual stream and the output favours one "||call:" token, so the
   * runtime's grammar takes over and fills in a tool and its arguments.
   */
  callsTools?: boolean;
}

/** Writes a tiny random llama GGUF to `file`; returns its size in bytes. */
export function writeTinyGguf(file: string, o: TinyModelShape = {}): number {
  const embd = o.embd ?? 64;
  const layers = o.layers ?? 1;
  const ff = o.ff ?? 128;
  const heads = o.heads ?? 4;
  const words = o.words ?? ['hello', 'hi', 'the', 'a', 'audit', 'book', 'call', 'yes', 'no', 'thanks', 'price', 'is', 'you', 'I', 'can', 'help'];
  // SentencePiece-style vocabulary: unknown, begin, end, the 256 bytes, then words with "▁" for a leading space.
  const tokens = ['<unk>', '<s>', '</s>', ...Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`), ...words.map((w) => `▁${w}`), ...'abcdefghijklmnopqrstuvwxyz'.split(''), ...(o.callsTools ? ['▁||call:'] : [])];
  const callToken = tokens.indexOf('▁||call:');
  const types = tokens.map((_, i) => (i === 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1));
  const scores = tokens.map((_, i) => (i < 259 ? 0 : -i));
  const vocab = tokens.length;

  const kv: [string, Value][] = [
    ['general.architecture', { t: 'str', v: 'llama' }],
    ['general.name', { t: 'str', v: 'parley-tiny-test' }],
    ['general.alignment', { t: 'u32', v: ALIGN }],
    ['llama.context_length', { t: 'u32', v: o.context ?? 2048 }],
    ['llama.embedding_length', { t: 'u32', v: embd }],
    ['llama.block_count', { t: 'u32', v: layers }],
    ['llama.feed_forward_length', { t: 'u32', v: ff }],
    ['llama.attention.head_count', { t: 'u32', v: heads }],
    ['llama.attention.head_count_kv', { t: 'u32', v: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { t: 'f32', v: 1e-5 }],
    ['llama.rope.dimension_count', { t: 'u32', v: embd / heads }],
    ['llama.vocab_size', { t: 'u32', v: vocab }],
    ['tokenizer.ggml.model', { t: 'str', v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: 'strs', v: tokens }],
    ['tokenizer.ggml.scores', { t: 'f32s', v: scores }],
    ['tokenizer.ggml.token_type', { t: 'i32s', v: types }],
    ['tokenizer.ggml.unknown_token_id', { t: 'u32', v: 0 }],
    ['tokenizer.ggml.bos_token_id', { t: 'u32', v: 1 }],
    ['tokenizer.ggml.eos_token_id', { t: 'u32', v: 2 }],
    ['tokenizer.ggml.add_bos_token', { t: 'bool', v: true }],
  ];

  const tensors: { name: string; dims: number[] }[] = [
    { name: 'token_embd.weight', dims: [embd, vocab] },
    { name: 'output_norm.weight', dims: [embd] },
    { name: 'output.weight', dims: [embd, vocab] },
  ];
  for (let l = 0; l < layers; l++) {
    tensors.push(
      { name: `blk.${l}.attn_norm.weight`, dims: [embd] },
      { name: `blk.${l}.attn_q.weight`, dims: [embd, embd] },
      { name: `blk.${l}.attn_k.weight`, dims: [embd, embd] },
      { name: `blk.${l}.attn_v.weight`, dims: [embd, embd] },
      { name: `blk.${l}.attn_output.weight`, dims: [embd, embd] },
      { name: `blk.${l}.ffn_norm.weight`, dims: [embd] },
      { name: `blk.${l}.ffn_gate.weight`, dims: [embd, ff] },
      { name: `blk.${l}.ffn_down.weight`, dims: [ff, embd] },
      { name: `blk.${l}.ffn_up.weight`, dims: [embd, ff] },
    );
  }

  const w = new Writer();
  w.raw(Buffer.from('GGUF'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, value] of kv) {
    w.str(key);
    writeValue(w, value);
  }
  let offset = 0;
  const sizes = tensors.map((t) => t.dims.reduce((a, b) => a * b, 1) * 4);
  tensors.forEach((t, i) => {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(0); // GGML_TYPE_F32
    w.u64(offset);
    offset += align(sizes[i]!);
  });
  w.pad();
  let seed = o.seed ?? 17;
  const random = () => {
    // xorshift32: the same file every run
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  tensors.forEach((t, i) => {
    const n = sizes[i]! / 4;
    const data = new Float32Array(n);
    const isNorm = t.name.endsWith('norm.weight');
    for (let j = 0; j < n; j++) data[j] = isNorm ? 1 : (random() - 0.5) * 0.2;
    if (o.callsTools) {
      if (/attn_output|ffn_down/.test(t.name)) data.fill(0);
      if (t.name === 'token_embd.weight') for (let tok = 0; tok < vocab; tok++) data[tok * embd] = 1;
      if (t.name === 'output.weight') data[callToken * embd] = 50;
    }
    w.raw(Buffer.from(data.buffer));
    w.pad();
  });
  const bytes = w.done();
  writeFileSync(file, bytes);
  return bytes.length;
}

function writeValue(w: Writer, v: Value): void {
  switch (v.t) {
    case 'u32':
      w.u32(T.U32);
      return w.u32(v.v);
    case 'f32':
      w.u32(T.F32);
      return w.f32(v.v);
    case 'bool':
      w.u32(T.BOOL);
      return w.raw(Buffer.from([v.v ? 1 : 0]));
    case 'str':
      w.u32(T.STRING);
      return w.str(v.v);
    case 'strs':
      w.u32(T.ARRAY);
      w.u32(T.STRING);
      w.u64(v.v.length);
      for (const s of v.v) w.str(s);
      return;
    case 'f32s':
      w.u32(T.ARRAY);
      w.u32(T.F32);
      w.u64(v.v.length);
      for (const x of v.v) w.f32(x);
      return;
    case 'i32s':
      w.u32(T.ARRAY);
      w.u32(T.I32);
      w.u64(v.v.length);
      for (const x of v.v) w.i32(x);
      return;
  }
}

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

class Writer {
  #parts: Buffer[] = [];
  #length = 0;
  raw(b: Buffer): void {
    this.#parts.push(b);
    this.#length += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.raw(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.raw(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.raw(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.raw(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.raw(b);
  }
  pad(): void {
    const extra = align(this.#length) - this.#length;
    if (extra) this.raw(Buffer.alloc(extra));
  }
  done(): Buffer {
    return Buffer.concat(this.#parts);
  }
}
