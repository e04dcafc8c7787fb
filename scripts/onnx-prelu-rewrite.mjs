// Rewrites every per-channel PRelu of an ONNX model into ops onnxruntime keeps in its fast NCHWc layout:
//   PRelu(x, s) = x + (1 - s) * Relu(-x)
//   -> Conv_dw1x1(x, w = -1) -> Relu -> Conv_dw1x1(w = 1 - s) -> Add(., x)
// Exact for any slope. onnxruntime fuses Conv+Relu and Conv+Add, and avoids the layout reorders a PRelu forces,
// which makes fr_feature ~1.6x faster on CPU. Works on the protobuf wire format directly (no onnx dependency):
// unknown fields are kept byte for byte, so the output is deterministic and its sha256 can be pinned.

/** @param {Uint8Array} buf @param {number} pos */
function readVarint(buf, pos) {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

/** @param {bigint | number} value */
function varint(value) {
  let v = BigInt(value);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}

/**
 * Top-level fields of a message: { field, wire, raw (whole field bytes), value (payload or varint) }.
 * @param {Uint8Array} buf
 */
function readFields(buf) {
  const fields = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [key, p1] = readVarint(buf, pos);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value;
    if (wire === 0) {
      [value, pos] = readVarint(buf, p1);
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, p1);
      value = buf.subarray(p2, p2 + Number(len));
      pos = p2 + Number(len);
    } else if (wire === 5) {
      value = buf.subarray(p1, p1 + 4);
      pos = p1 + 4;
    } else if (wire === 1) {
      value = buf.subarray(p1, p1 + 8);
      pos = p1 + 8;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
    fields.push({ field, wire, raw: buf.subarray(start, pos), value });
  }
  return fields;
}

/** @param {number} field @param {Uint8Array} bytes */
const lenField = (field, bytes) => Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
/** @param {number} field @param {bigint | number} v */
const intField = (field, v) => Buffer.concat([varint(field << 3), varint(v)]);
/** @param {number} field @param {string} s */
const strField = (field, s) => lenField(field, Buffer.from(s, 'utf8'));

/** AttributeProto: INT = 2, INTS = 7. @param {string} name @param {number | number[]} v */
function attribute(name, v) {
  if (Array.isArray(v)) return Buffer.concat([strField(1, name), ...v.map((x) => intField(8, x)), intField(20, 7)]);
  return Buffer.concat([strField(1, name), intField(3, v), intField(20, 2)]);
}

/** @param {string} op @param {string[]} inputs @param {string} output @param {string} name @param {Buffer[]} attrs */
function node(op, inputs, output, name, attrs = []) {
  return Buffer.concat([
    ...inputs.map((i) => strField(1, i)),
    strField(2, output),
    strField(3, name),
    strField(4, op),
    ...attrs.map((a) => lenField(5, a)),
  ]);
}

/** FLOAT tensor with raw data. @param {string} name @param {number[]} dims @param {Float32Array} data */
function tensor(name, dims, data) {
  return Buffer.concat([
    ...dims.map((d) => intField(1, d)),
    intField(2, 1),
    strField(8, name),
    lenField(9, Buffer.from(data.buffer, data.byteOffset, data.byteLength)),
  ]);
}

/** Float values of a FLOAT TensorProto (raw_data or float_data). @param {Uint8Array} bytes */
function tensorFloats(bytes) {
  const fields = readFields(bytes);
  const raw = fields.find((f) => f.field === 9);
  if (raw) {
    const copy = Uint8Array.from(/** @type {Uint8Array} */ (raw.value));
    return new Float32Array(copy.buffer);
  }
  const out = [];
  for (const f of fields.filter((f) => f.field === 4)) {
    const v = /** @type {Uint8Array} */ (f.value);
    if (f.wire === 2) for (let i = 0; i < v.length; i += 4) out.push(Buffer.from(v.subarray(i, i + 4)).readFloatLE(0));
    else out.push(Buffer.from(v).readFloatLE(0));
  }
  return Float32Array.from(out);
}

/** @param {Uint8Array} bytes */
const str = (bytes) => Buffer.from(bytes).toString('utf8');

/**
 * Returns the model with its PRelu nodes rewritten, and how many were rewritten.
 * @param {Uint8Array} model
 * @returns {{ bytes: Buffer, rewritten: number }}
 */
export function rewritePRelu(model) {
  const top = readFields(model);
  const graphField = top.find((f) => f.field === 7);
  if (!graphField) throw new Error('model has no graph');
  const graph = readFields(/** @type {Uint8Array} */ (graphField.value));
  /** @type {Map<string, Uint8Array>} */
  const inits = new Map();
  for (const f of graph.filter((f) => f.field === 5)) {
    const name = readFields(/** @type {Uint8Array} */ (f.value)).find((x) => x.field === 8);
    if (name) inits.set(str(/** @type {Uint8Array} */ (name.value)), /** @type {Uint8Array} */ (f.value));
  }
  const nodes = [];
  const extraInits = [];
  let rewritten = 0;
  for (const f of graph.filter((f) => f.field === 1)) {
    const nf = readFields(/** @type {Uint8Array} */ (f.value));
    const op = nf.find((x) => x.field === 4);
    const inputs = nf.filter((x) => x.field === 1).map((x) => str(/** @type {Uint8Array} */ (x.value)));
    const outputs = nf.filter((x) => x.field === 2).map((x) => str(/** @type {Uint8Array} */ (x.value)));
    const slopeBytes = inputs[1] === undefined ? undefined : inits.get(inputs[1]);
    if (!op || str(/** @type {Uint8Array} */ (op.value)) !== 'PRelu' || !slopeBytes || outputs.length !== 1) {
      nodes.push(f.raw);
      continue;
    }
    const [x, s] = /** @type {[string, string]} */ (inputs);
    const y = /** @type {string} */ (outputs[0]);
    const slope = tensorFloats(slopeBytes);
    const c = slope.length;
    const negW = `${s}__neg_w`;
    const scaleW = `${s}__one_minus_slope_w`;
    extraInits.push(lenField(5, tensor(negW, [c, 1, 1, 1], new Float32Array(c).fill(-1))));
    extraInits.push(lenField(5, tensor(scaleW, [c, 1, 1, 1], slope.map((v) => 1 - v))));
    const dw = [attribute('group', c), attribute('kernel_shape', [1, 1])];
    nodes.push(lenField(1, node('Conv', [x, negW], `${y}__negx`, `${y}__neg`, dw)));
    nodes.push(lenField(1, node('Relu', [`${y}__negx`], `${y}__relu_negx`, `${y}__relu`)));
    nodes.push(lenField(1, node('Conv', [`${y}__relu_negx`, scaleW], `${y}__scaled`, `${y}__scale`, dw)));
    nodes.push(lenField(1, node('Add', [`${y}__scaled`, x], y, `${y}__add`)));
    rewritten++;
  }
  const rest = graph.filter((f) => f.field !== 1).map((f) => f.raw);
  const newGraph = Buffer.concat([...nodes, ...rest, ...extraInits]);
  const out = top.map((f) => (f.field === 7 ? lenField(7, newGraph) : Buffer.from(f.raw)));
  return { bytes: Buffer.concat(out), rewritten };
}
