import { createReadStream } from "node:fs";
import { InvalidInputError } from "@/lib/errors";

// RFC 4180 CSV with one convention on top: an empty unquoted field is null (SQL NULL) and `""`
// is the empty string, so the two survive a round trip. Records end with CRLF when written;
// CRLF, LF or a lone CR are accepted when read.

/** A field as written or read: null is an empty unquoted field, "" is written `""`. */
export type CsvField = string | null;

/** A parsed record; `recordNumber` counts records from 1 (the header is record 1), `line` is where it starts (from 1). */
export type CsvRecord = { fields: CsvField[]; recordNumber: number; line: number };

/** Malformed CSV: the line (from 1) and field (from 1) where reading stopped. */
export class CsvSyntaxError extends InvalidInputError {
  readonly line: number;
  readonly field: number;
  readonly reason: string;

  constructor(reason: string, line: number, field: number) {
    super(`line ${line}, field ${field}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.field = field;
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One field: quoted when it holds a comma, quote or line break, and when it is the empty string. */
export function formatCsvField(value: CsvField): string {
  if (value === null) return "";
  if (value === "") return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record, terminated by CRLF. */
export function formatCsvRecord(fields: readonly CsvField[]): string {
  return `${fields.map(formatCsvField).join(",")}\r\n`;
}

type ParsedRecord = { fields: CsvField[]; end: number; lineBreaks: number };

/** Line breaks in a quoted value: CRLF, LF and a lone CR count one each. */
function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 10) count += 1;
    else if (char === 13 && text.charCodeAt(index + 1) !== 10) count += 1;
  }
  return count;
}

const UNQUOTED_STOP = /[",\r\n]/g;

/**
 * Parses the record starting at `start`. Returns undefined when the text ends before the record
 * is known to be complete and more may follow (`isEnd` false); the caller retries from `start`
 * with more text.
 */
function parseRecord(text: string, start: number, isEnd: boolean, line: number): ParsedRecord | undefined {
  const fields: CsvField[] = [];
  let position = start;
  let lineBreaks = 0;
  for (;;) {
    const fieldNumber = fields.length + 1;
    if (text.charCodeAt(position) === 34) {
      let value = "";
      let cursor = position + 1;
      for (;;) {
        const quote = text.indexOf('"', cursor);
        if (quote === -1) {
          if (!isEnd) return undefined;
          throw new CsvSyntaxError("the quoted field is never closed", line + lineBreaks, fieldNumber);
        }
        value += text.slice(cursor, quote);
        if (quote + 1 >= text.length && !isEnd) return undefined;
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        position = quote + 1;
        break;
      }
      lineBreaks += countLineBreaks(value);
      fields.push(value);
      const next = text.charCodeAt(position);
      if (position < text.length && next !== 44 && next !== 10 && next !== 13) {
        throw new CsvSyntaxError(`unexpected ${JSON.stringify(text[position])} after the closing quote`, line + lineBreaks, fieldNumber);
      }
    } else {
      UNQUOTED_STOP.lastIndex = position;
      const stop = UNQUOTED_STOP.exec(text);
      if (stop?.[0] === '"') {
        throw new CsvSyntaxError("a quote inside an unquoted field (quote the whole field and double the quote)", line + lineBreaks, fieldNumber);
      }
      if (!stop && !isEnd) return undefined;
      const end = stop ? stop.index : text.length;
      const value = text.slice(position, end);
      fields.push(value === "" ? null : value);
      position = end;
    }
    if (position >= text.length) {
      if (!isEnd) return undefined;
      return { fields, end: position, lineBreaks };
    }
    const separator = text.charCodeAt(position);
    if (separator === 44) {
      position += 1;
      continue;
    }
    if (separator === 10) return { fields, end: position + 1, lineBreaks: lineBreaks + 1 };
    // CR: a CRLF pair may be split across chunks.
    if (position + 1 >= text.length && !isEnd) return undefined;
    return { fields, end: text.charCodeAt(position + 1) === 10 ? position + 2 : position + 1, lineBreaks: lineBreaks + 1 };
  }
}

/**
 * Reads records from a stream of text or UTF-8 bytes (a leading byte-order mark is skipped).
 * Streaming: memory holds one chunk and the record being read, whatever the input's size.
 * An empty line is a record with one null field; a line break at the very end ends the last
 * record and does not start another.
 */
export async function* parseCsv(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffer = "";
  let offset = 0;
  let line = 1;
  let recordNumber = 0;
  let isStart = true;

  const decode = (chunk: string | Uint8Array | undefined): string => {
    try {
      return chunk === undefined ? decoder.decode() : typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new CsvSyntaxError("the text is not valid UTF-8", line, 1);
    }
  };

  function* drain(isEnd: boolean): Generator<CsvRecord> {
    while (offset < buffer.length) {
      const parsed = parseRecord(buffer, offset, isEnd, line);
      if (!parsed) return;
      recordNumber += 1;
      yield { fields: parsed.fields, recordNumber, line };
      offset = parsed.end;
      line += parsed.lineBreaks;
    }
  }

  for await (const chunk of input) {
    buffer = buffer.slice(offset) + decode(chunk);
    offset = 0;
    if (isStart && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      isStart = false;
    }
    yield* drain(false);
  }
  buffer = buffer.slice(offset) + decode(undefined);
  offset = 0;
  if (isStart && buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
  yield* drain(true);
}

/** Reads the records of a UTF-8 CSV file, streamed. */
export function readCsvFile(file: string): AsyncGenerator<CsvRecord> {
  return parseCsv(createReadStream(file, { highWaterMark: 256 * 1024 }));
}
