import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CsvSyntaxError, formatCsvField, formatCsvRecord, parseCsv, type CsvField, type CsvRecord } from "@/lib/csv";

async function collect(input: AsyncIterable<string | Uint8Array>): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of parseCsv(input)) records.push(record);
  return records;
}

/** The text cut into chunks of `size` characters, as a stream would deliver it. */
async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let index = 0; index < text.length; index += size) yield text.slice(index, index + size);
}

const parse = async (text: string) => (await collect(chunksOf(text, Math.max(1, text.length)))).map((record) => record.fields);

async function parseError(text: string): Promise<CsvSyntaxError> {
  try {
    await collect(chunksOf(text, 7));
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a CsvSyntaxError");
}

describe("formatCsvField", () => {
  it("writes null as an empty unquoted field", () => {
    expect(formatCsvField(null)).toBe("");
  });

  it('writes the empty string as ""', () => {
    expect(formatCsvField("")).toBe('""');
  });

  it("leaves plain text unquoted, spaces included", () => {
    expect(formatCsvField(" plain text ")).toBe(" plain text ");
  });

  it("quotes a comma", () => {
    expect(formatCsvField("a,b")).toBe('"a,b"');
  });

  it("quotes and doubles a quote", () => {
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
  });

  it("quotes LF and CR", () => {
    expect(formatCsvField("one\ntwo")).toBe('"one\ntwo"');
    expect(formatCsvField("one\rtwo")).toBe('"one\rtwo"');
  });
});

describe("formatCsvRecord", () => {
  it("joins fields with commas and ends with CRLF", () => {
    expect(formatCsvRecord(["1", null, "", "x,y"])).toBe('1,,"","x,y"\r\n');
  });

  it("writes a record of one null field as an empty line", () => {
    expect(formatCsvRecord([null])).toBe("\r\n");
  });
});

describe("parseCsv", () => {
  it("reads LF-terminated records", async () => {
    expect(await parse("a,b\n1,2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("reads CRLF-terminated records", async () => {
    expect(await parse("a,b\r\n1,2\r\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("reads a last record without a line break", async () => {
    expect(await parse("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("reads nothing from an empty input", async () => {
    expect(await parse("")).toEqual([]);
  });

  it('tells null (empty unquoted) from the empty string ("")', async () => {
    expect(await parse(',"",x,\n')).toEqual([[null, "", "x", null]]);
  });

  it("reads an empty line as one null field", async () => {
    expect(await parse("a\n\nb\n")).toEqual([["a"], [null], ["b"]]);
  });

  it("reads commas, doubled quotes and line breaks inside quotes", async () => {
    expect(await parse('"a,b","say ""hi""","one\ntwo\r\nthree"\n')).toEqual([["a,b", 'say "hi"', "one\ntwo\r\nthree"]]);
  });

  it("keeps unicode and surrounding spaces", async () => {
    expect(await parse(" Příliš žluťoučký kůň ,😀\n")).toEqual([[" Příliš žluťoučký kůň ", "😀"]]);
  });

  it("skips a leading byte-order mark", async () => {
    expect(await parse("\uFEFFa,b\n")).toEqual([["a", "b"]]);
  });

  it("numbers records and gives the line each starts on, counting line breaks inside quotes", async () => {
    const records = await collect(chunksOf('h1,h2\r\n"multi\nline",x\r\nlast,"a\r\nb"\r\nz,\n', 1000));
    expect(records.map(({ recordNumber, line }) => [recordNumber, line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
      [4, 6],
    ]);
  });

  it("gives the same records whatever the chunk boundaries (CRLF, quotes and doubled quotes split)", async () => {
    const text = 'id,text\r\n1,"a ""quoted"", value\r\nwith a line break"\r\n2,\r\n3,""\r\n4,"x"\r\n';
    const whole = await collect(chunksOf(text, text.length));
    for (let size = 1; size <= 12; size += 1) expect(await collect(chunksOf(text, size))).toEqual(whole);
    expect(whole.map((record) => record.fields)).toEqual([
      ["id", "text"],
      ["1", 'a "quoted", value\r\nwith a line break'],
      ["2", null],
      ["3", ""],
      ["4", "x"],
    ]);
  });

  it("reads UTF-8 bytes with characters split across chunks", async () => {
    const bytes = Buffer.from("name\nžluťoučký 😀\n", "utf8");
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    const records = await collect(Readable.from(chunks));
    expect(records.map((record) => record.fields)).toEqual([["name"], ["žluťoučký 😀"]]);
  });

  it("round-trips what formatCsvRecord writes", async () => {
    const rows: CsvField[][] = [
      ["id", "value", "note"],
      ["1", null, ""],
      ["2", 'comma, "quote"\nnewline', "ünïcødé"],
      [null, null, null],
    ];
    expect(await parse(rows.map(formatCsvRecord).join(""))).toEqual(rows);
  });

  it("refuses a quoted field that is never closed, naming its line and field", async () => {
    const error = await parseError('a,b\n1,"open\nstill open\n');
    expect([error.line, error.field, error.reason]).toEqual([2, 2, "the quoted field is never closed"]);
  });

  it("refuses text after a closing quote", async () => {
    const error = await parseError('a,b\n1,2\n3,"x"y\n');
    expect([error.line, error.field, error.reason]).toEqual([3, 2, 'unexpected "y" after the closing quote']);
  });

  it("refuses a quote inside an unquoted field", async () => {
    const error = await parseError('a,b\n"x\ny",ab"c\n');
    expect([error.line, error.field]).toEqual([3, 2]);
    expect(error.message).toBe("line 3, field 2: a quote inside an unquoted field (quote the whole field and double the quote)");
  });

  it("refuses bytes that are not UTF-8", async () => {
    await expect(collect(Readable.from([Buffer.from([0x61, 0x0a, 0xff, 0x0a])]))).rejects.toThrow("the text is not valid UTF-8");
  });
});
