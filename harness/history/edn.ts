/**
 * A reader and writer for the part of EDN that Jepsen, Knossos and Elle
 * histories use.
 *
 * Mapping to JavaScript, chosen so that a history read from EDN looks like
 * one read from JSON Lines:
 * - nil -> null, booleans, integers and floats -> number (ratios too),
 * - strings, keywords (without the colon), symbols and characters -> string,
 * - vectors, lists and sets -> arrays,
 * - maps -> plain objects (non-string keys are rendered as EDN text),
 * - tagged literals (#inst, #uuid, #jepsen.history.Op{...}) -> the tagged value,
 * - `#_ form` and `; comments` are skipped, commas are whitespace.
 */
import { InputError } from '../errors.js';

export type EdnValue = null | boolean | number | string | EdnValue[] | { [key: string]: EdnValue };

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  LParen = 40,
  RParen = 41,
  Comma = 44,
  Colon = 58,
  Semicolon = 59,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Underscore = 95,
  LBrace = 123,
  RBrace = 125,
}

/** Characters that end a token (symbol, keyword, number). */
function isDelimiter(c: number): boolean {
  return (
    c === Ch.Space || c === Ch.Newline || c === Ch.Tab || c === Ch.Return || c === Ch.Comma ||
    c === Ch.LParen || c === Ch.RParen || c === Ch.LBracket || c === Ch.RBracket ||
    c === Ch.LBrace || c === Ch.RBrace || c === Ch.Quote || c === Ch.Semicolon || Number.isNaN(c)
  );
}

const CHAR_NAMES: Record<string, string> = {
  newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f',
};

/** A cursor over EDN text that knows the current line, for error messages. */
export class EdnReader {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  /** The 1-based line of the next character to read. */
  get currentLine(): number {
    return this.line;
  }

  /** Skip whitespace, commas, comments and `#_` discards; false at end of input. */
  skipSpace(): boolean {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === Ch.Newline) {
        this.line++;
        this.pos++;
      } else if (c === Ch.Space || c === Ch.Comma || c === Ch.Tab || c === Ch.Return) {
        this.pos++;
      } else if (c === Ch.Semicolon) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== Ch.Newline) this.pos++;
      } else if (c === Ch.Hash && t.charCodeAt(this.pos + 1) === Ch.Underscore) {
        this.pos += 2;
        this.read();
      } else {
        return this.pos < t.length;
      }
    }
  }

  fail(expected: string): never {
    throw new InputError(this.file, this.line, expected);
  }

  /** Read one form. Call `skipSpace()` first to know whether one is left. */
  read(): EdnValue {
    if (!this.skipSpace()) this.fail('expected an EDN value, found the end of the file');
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    switch (c) {
      case Ch.LBracket:
        this.pos++;
        return this.readSeq(Ch.RBracket, 'vector');
      case Ch.LParen:
        this.pos++;
        return this.readSeq(Ch.RParen, 'list');
      case Ch.LBrace:
        this.pos++;
        return this.readMap();
      case Ch.Quote:
        return this.readString();
      case Ch.Colon:
        this.pos++;
        return this.readToken();
      case Ch.Backslash:
        return this.readChar();
      case Ch.Hash:
        return this.readDispatch();
      case Ch.RParen:
      case Ch.RBracket:
      case Ch.RBrace:
        this.fail(`unexpected '${t[this.pos]}'`);
      default:
        return this.readAtom();
    }
  }

  private readSeq(close: number, what: string): EdnValue[] {
    const out: EdnValue[] = [];
    const startLine = this.line;
    for (;;) {
      if (!this.skipSpace()) {
        throw new InputError(this.file, startLine, `unterminated ${what} (expected '${String.fromCharCode(close)}')`);
      }
      if (this.text.charCodeAt(this.pos) === close) {
        this.pos++;
        return out;
      }
      out.push(this.read());
    }
  }

  private readMap(): { [key: string]: EdnValue } {
    const out: { [key: string]: EdnValue } = {};
    const startLine = this.line;
    for (;;) {
      if (!this.skipSpace()) throw new InputError(this.file, startLine, "unterminated map (expected '}')");
      if (this.text.charCodeAt(this.pos) === Ch.RBrace) {
        this.pos++;
        mapLines.set(out, startLine);
        return out;
      }
      const key = this.read();
      if (!this.skipSpace() || this.text.charCodeAt(this.pos) === Ch.RBrace) {
        this.fail('a map needs an even number of forms (a key has no value)');
      }
      out[typeof key === 'string' ? key : writeEdn(key)] = this.read();
    }
  }

  private readString(): string {
    const t = this.text;
    const startLine = this.line;
    let i = this.pos + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= t.length) throw new InputError(this.file, startLine, 'unterminated string');
      const c = t.charCodeAt(i);
      if (c === Ch.Quote) break;
      if (c === Ch.Newline) this.line++;
      if (c === Ch.Backslash) {
        out += t.slice(chunk, i);
        const e = t[i + 1];
        i += 2;
        if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else if (e === 'r') out += '\r';
        else if (e === 'b') out += '\b';
        else if (e === 'f') out += '\f';
        else if (e === 'u') {
          out += String.fromCharCode(parseInt(t.slice(i, i + 4), 16));
          i += 4;
        } else out += e ?? '';
        chunk = i;
        continue;
      }
      i++;
    }
    out += t.slice(chunk, i);
    this.pos = i + 1;
    return out;
  }

  private readChar(): string {
    this.pos++;
    const start = this.pos;
    this.pos++;
    while (!isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    const name = this.text.slice(start, this.pos);
    if (name.length === 1) return name;
    if (name in CHAR_NAMES) return CHAR_NAMES[name]!;
    if (name.startsWith('u') && name.length === 5) return String.fromCharCode(parseInt(name.slice(1), 16));
    return this.fail(`unknown character literal \\${name}`);
  }

  private readDispatch(): EdnValue {
    const next = this.text.charCodeAt(this.pos + 1);
    if (next === Ch.LBrace) {
      this.pos += 2;
      return this.readSeq(Ch.RBrace, 'set');
    }
    // A tagged literal: #inst "...", #uuid "...", #jepsen.history.Op{...}.
    this.pos++;
    const tag = this.readToken();
    if (tag === '') this.fail("expected a tag, a set or a discard after '#'");
    return this.read();
  }

  private readToken(): string {
    const start = this.pos;
    while (!isDelimiter(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private readAtom(): EdnValue {
    const token = this.readToken();
    if (token === '') this.fail(`unexpected '${this.text[this.pos]}'`);
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    const c = token.charCodeAt(0);
    const numeric = (c >= 48 && c <= 57) || ((c === 43 || c === 45) && token.length > 1 && /\d/.test(token[1]!));
    if (!numeric) return token; // a symbol
    const n = parseNumber(token);
    if (n === undefined) this.fail(`malformed number '${token}'`);
    return n;
  }
}

function parseNumber(token: string): number | undefined {
  let s = token;
  if (s.endsWith('N') || s.endsWith('M')) s = s.slice(0, -1);
  const slash = s.indexOf('/');
  if (slash > 0) {
    const a = Number(s.slice(0, slash));
    const b = Number(s.slice(slash + 1));
    return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : undefined;
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** The line on which each map read from EDN began, for error messages about ops. */
const mapLines = new WeakMap<object, number>();

export function lineOf(map: object): number | undefined {
  return mapLines.get(map);
}

/** Read every top-level form of an EDN text. */
export function readEdnForms(text: string, file: string): EdnValue[] {
  const r = new EdnReader(text, file);
  const out: EdnValue[] = [];
  while (r.skipSpace()) out.push(r.read());
  return out;
}

/** A keyword, written back as `:name`. */
export class Keyword {
  constructor(readonly name: string) {}
}

export type EdnWritable = EdnValue | Keyword | undefined | readonly EdnWritable[] | { [key: string]: EdnWritable };

const KEYWORD_NAME = /^[A-Za-z*+!_?<>=][\w*+!?<>=.\-/]*$/;

/** A string that may be written as a keyword without changing what it reads back as. */
export function isKeywordName(s: string): boolean {
  return KEYWORD_NAME.test(s);
}

/** Write a value as EDN text. Object keys that are keyword names become keywords. */
export function writeEdn(v: EdnWritable): string {
  if (v === null || v === undefined) return 'nil';
  if (v instanceof Keyword) return `:${v.name}`;
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? String(v) : 'nil';
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(writeEdn).join(' ')}]`;
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as { [key: string]: EdnWritable })) {
    if (x === undefined) continue;
    parts.push(`${isKeywordName(k) ? `:${k}` : JSON.stringify(k)} ${writeEdn(x)}`);
  }
  return `{${parts.join(', ')}}`;
}
