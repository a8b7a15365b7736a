import { LineSplitter } from './LineSplitter';

function split(chunks: Array<string | Buffer>, end = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(line => lines.push(line));
  for (const c of chunks)
    splitter.push(typeof c === 'string' ? Buffer.from(c) : c);
  if (end) splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('hands over each line of a chunk, and lines spread over several chunks whole', () => {
    expect(split(['{"a":1}\n{"b"', ':2}\n{"c":', '', '3}\n'])).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it('skips empty lines, drops \\r before \\n, and keeps a last line without a newline', () => {
    expect(split(['one\r\n\n\ntwo\r', '\nthree'])).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(split(['held back'], false)).toEqual([]);
  });

  it('decodes a UTF-8 character whose bytes arrive in two chunks', () => {
    const bytes = Buffer.from('{"m":"Grüße €"}\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside the 3-byte €
    expect(split([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([
      '{"m":"Grüße €"}',
    ]);
  });
});
