/** Bytes per buffer the serializer fills before starting the next. */
const CHUNK_BYTES = 1 << 16;

/**
 * The UTF-8 bytes of JSON.stringify(value), built without the one flat string JSON.stringify makes: a
 * large fleet's events answers are megabytes each, and V8 serializes a multi-megabyte result several times
 * slower than the same values one at a time (Node 24, 8 MB of events lines: 92 ms as one string and its
 * Buffer, 20 ms this way). Arrays and plain objects are walked here, after toJSON as JSON.stringify calls
 * it; every other value (strings, numbers, boxed primitives, class instances) goes through JSON.stringify
 * itself, so escaping and number form stay V8's. A value with a jsonText() method writes its own text, which
 * must equal JSON.stringify's for it. Throws where JSON.stringify throws (BigInt); a cycle
 * overflows the stack instead of naming itself.
 */
export function jsonBytes(value: unknown): Buffer {
  const out = createChunkWriter();
  if (!writeValue(value, out, '')) throw new TypeError(`no JSON text for ${typeof value}`);
  return out.done();
}

type ChunkWriter = { put(text: string): void; done(): Buffer };

function createChunkWriter(): ChunkWriter {
  const chunks: Buffer[] = [];
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let pos = 0;
  const flush = () => {
    if (pos === 0) return;
    chunks.push(buf.subarray(0, pos));
    buf = Buffer.allocUnsafe(CHUNK_BYTES);
    pos = 0;
  };
  return {
    put(text) {
      // A UTF-16 unit takes at most 3 UTF-8 bytes.
      if (text.length * 3 > buf.length - pos) {
        flush();
        if (text.length * 3 > buf.length) {
          chunks.push(Buffer.from(text));
          return;
        }
      }
      pos += buf.write(text, pos);
    },
    done() {
      flush();
      return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    },
  };
}

/** Writes `raw`, the member named `key`, as JSON.stringify would; false when JSON has no text for it. */
function writeValue(raw: unknown, out: ChunkWriter, key: string): boolean {
  const value = resolve(raw, key);
  if (isOmitted(value)) return false;
  writeResolved(value, out);
  return true;
}

/** Writes a value resolve() gave and isOmitted() kept. */
function writeResolved(value: unknown, out: ChunkWriter): void {
  if (hasJsonText(value)) {
    out.put(value.jsonText());
  } else if (Array.isArray(value)) {
    out.put('[');
    value.forEach((item, i) => {
      if (i > 0) out.put(',');
      if (!writeValue(item, out, String(i))) out.put('null');
    });
    out.put(']');
  } else if (isPlainObject(value)) {
    out.put('{');
    let separator = '';
    for (const [name, member] of Object.entries(value)) {
      const resolved = resolve(member, name);
      if (isOmitted(resolved)) continue;
      out.put(`${separator}${JSON.stringify(name)}:`);
      separator = ',';
      writeResolved(resolved, out);
    }
    out.put('}');
  } else {
    out.put(JSON.stringify(value));
  }
}

/** What is serialized for a member: a value writing its own text as it is, else its toJSON(key) if any. */
function resolve(value: unknown, key: string): unknown {
  return hasJsonText(value) ? value : withToJson(value, key);
}

/** Members JSON.stringify leaves out of an object (and writes as null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** A value that writes its own JSON text, equal to JSON.stringify's for it (PatternLine). */
function hasJsonText(value: unknown): value is { jsonText(): string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { jsonText?: unknown }).jsonText === 'function'
  );
}

/** What JSON.stringify serializes for a value: its toJSON(key) when it has one. */
function withToJson(value: unknown, key: string): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJson: unknown = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return (toJson as (key: string) => unknown).call(value, key);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
