/**
 * loadCsv reads a file in chunks; these tests use chunks of a few bytes so that rows, quoted
 * values, UTF-8 characters and CRLFs are cut at every place, and check the result is parseCsv's.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseCsv, parseFeatures, loadCsv, loadCsvStream, loadFeatures } from '../src/index.js'
import { GrowingArray } from '../src/data/growing-array.js'
import { errorOf, tempFiles } from './csv-files.js'

const { file } = tempFiles('softgrad-csv-stream-')

const CHUNKS = [1, 2, 3, 5, 7, 64, 1 << 20]

/** A file with every hard case: a BOM, CRLFs, quoted values with delimiters and line breaks, é and 日本 and an emoji. */
const HARD = '\ufeffa,"b, quoted",kind\r\n1.5,-2,"two\r\nlines"\r\n3,4e2,café\r\n5,6,日本\r\n.5,+7,"say ""hi"" 🙂"\r\n8,9,café\r\n\r\n'

describe('loadCsv in small chunks reads what parseCsv reads', () => {
  const expected = parseCsv(HARD, { label: 'kind' })

  it('the hard file gives the same table in chunks of 1, 2, 3, 5, 7, 64 bytes and 1 MiB', () => {
    expect(expected.classes).toEqual(['café', 'say "hi" 🙂', 'two\nlines', '日本'])
    expect(expected.featureNames).toEqual(['a', 'b, quoted'])
    const path = file('hard.csv', HARD)
    for (const chunkSize of CHUNKS) {
      const d = loadCsv(path, { label: 'kind', chunkSize })
      expect(d.X.toArray(), `chunks of ${chunkSize}`).toEqual([[1.5, -2], [3, 400], [5, 6], [0.5, 7], [8, 9]])
      expect(Array.from(d.y)).toEqual(Array.from(expected.y))
      expect(d.classes).toEqual(expected.classes)
      expect(d.featureNames).toEqual(expected.featureNames)
    }
  })

  it('loadCsvStream gives the same table', async () => {
    const path = file('hard-stream.csv', HARD)
    for (const chunkSize of [1, 7, 1 << 20]) {
      const d = await loadCsvStream(path, { label: 'kind', chunkSize })
      expect(d.X.toArray()).toEqual(expected.X.toArray())
      expect(Array.from(d.y)).toEqual(Array.from(expected.y))
    }
  })

  it('loadFeatures in chunks picks the model’s columns and classes as parseFeatures does', () => {
    const options = { featureNames: ['b, quoted', 'a'], label: 'kind', classes: expected.classes }
    const want = parseFeatures(HARD, options)
    const path = file('hard-features.csv', HARD)
    for (const chunkSize of CHUNKS) {
      const got = loadFeatures(path, { ...options, chunkSize })
      expect(got.X.toArray()).toEqual(want.X.toArray())
      expect(Array.from(got.y!)).toEqual(Array.from(want.y!))
    }
  })

  it('a semicolon file whose first rows are longer than the bytes read to detect the delimiter', () => {
    const long = 'x'.repeat(70000)
    const text = `a;b;kind\n1;2;${long}\n3;4;y\n`
    const d = loadCsv(file('long-first-row.csv', text), { label: 'kind' })
    expect(d.X.toArray()).toEqual([[1, 2], [3, 4]])
    expect(d.classes).toEqual([long, 'y'])
  })

  it('more rows than a block of the growing arrays (65,536 values), with the row count misjudged by the first rows', () => {
    const rows = ['a,b,c,kind']
    for (let i = 0; i < 30000; i++) rows.push(i < 2000 ? `${i},${i},${i},x` : `${i}.25,${i}.5,${i}.75,y`)
    const d = loadCsv(file('many.csv', rows.join('\n')), { label: 'kind', chunkSize: 4096 })
    expect(d.X.shape).toEqual([30000, 3])
    expect(d.X.data[3 * 29999 + 2]).toBe(29999.75)
    expect(d.X.data[3 * 1999]).toBe(1999)
    expect(d.y.reduce((n, c) => n + c, 0)).toBe(28000)
  })

  it('any table, cut into chunks of any size, loads as parseCsv reads it (property)', () => {
    const cell = fc.constantFrom('1', '-2.5', '.5', '3e2', ' 4 ')
    const label = fc.constantFrom('x', 'é', '"a\r\nb"', '"c,d"', '日本', '🙂')
    const table = fc.record({
      rows: fc.array(fc.tuple(cell, cell, label), { minLength: 2, maxLength: 12 }),
      newline: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      chunkSize: fc.integer({ min: 1, max: 40 }),
    })
    let n = 0
    fc.assert(
      fc.property(table, (t) => {
        const text = (t.bom ? '\ufeff' : '') + ['a,b,kind', ...t.rows.map((r) => r.join(','))].join(t.newline) + t.newline
        let want: ReturnType<typeof parseCsv> | string
        try {
          want = parseCsv(text, { label: 'kind' })
        } catch (e) {
          want = (e as Error).message // one class only: the same error either way
        }
        const path = file(`property-${n++}.csv`, text)
        if (typeof want === 'string') {
          expect(errorOf(() => loadCsv(path, { label: 'kind', chunkSize: t.chunkSize }))).toBe(want.replace('<text>', path))
          return
        }
        const got = loadCsv(path, { label: 'kind', chunkSize: t.chunkSize })
        expect(got.X.toArray()).toEqual(want.X.toArray())
        expect(Array.from(got.y)).toEqual(Array.from(want.y))
        expect(got.classes).toEqual(want.classes)
      }),
      { numRuns: 200, seed: 20240602 },
    )
  })
})

describe('errors in small chunks name the same line and column', () => {
  const cases: [string, string][] = [
    ['a bad number after a value that spans lines, with CRLF', 'a,b,kind\r\n1,2,"two\r\nlines"\r\n3,4,y\r\n5,oops,y\r\n'],
    ['a row too short', 'a,b,kind\n1,2,x\n3,y\n'],
    ['a quote never closed', 'a,b,kind\n1,2,x\n3,4,"y\n'],
    ['malformed quotes', 'a,b,kind\n1,2,x\n3,4"5,y\n'],
    ['a blank line between rows', 'a,b,kind\n1,2,x\n\n3,4,y\n'],
    ['a header of numbers', '1,2,3\n4,5,6\n'],
    ['a single class', 'a,b,kind\n1,2,x\n3,4,x\n'],
    ['no data rows', 'a,b,kind\r\n\r\n'],
  ]
  it.each(cases)('%s', (name, text) => {
    const want = errorOf(() => parseCsv(text, { label: 'kind', source: 'SOURCE' }))
    const path = file(`${name.replaceAll(' ', '-')}.csv`, text)
    for (const chunkSize of [1, 3, 1 << 20]) {
      expect(errorOf(() => loadCsv(path, { label: 'kind', chunkSize }))).toBe(want.replace('SOURCE', path))
    }
  })

  it('an empty file and a file of blank lines are empty', () => {
    for (const text of ['', '\n\n', ' \r\n \r\n']) {
      const path = file('blank.csv', text)
      expect(errorOf(() => loadCsv(path, { label: 'kind', chunkSize: 1 }))).toBe(
        `${path}: the file is empty; a CSV needs a header line naming the columns, then one line per sample`,
      )
    }
  })
})

describe('a file that is not UTF-8 is an error naming its encoding', () => {
  const text = 'sepal_length,species\n5.1,setosa\n7,versicolor\n'
  const utf16 = (s: string, littleEndian: boolean): Uint8Array => {
    const out = new Uint8Array(2 * s.length)
    const view = new DataView(out.buffer)
    for (let i = 0; i < s.length; i++) view.setUint16(2 * i, s.charCodeAt(i), littleEndian)
    return out
  }

  it.each([
    ['UTF-16 (little-endian)', 'UTF-16LE', utf16('\ufeff' + text, true)],
    ['UTF-16 (little-endian)', 'UTF-16LE', utf16(text, true)],
    ['UTF-16 (big-endian)', 'UTF-16BE', utf16('\ufeff' + text, false)],
    ['UTF-16 (big-endian)', 'UTF-16BE', utf16(text, false)],
  ])('%s (%s), with or without a byte-order mark', (encoding, iconv, bytes) => {
    const path = file('utf16.csv', bytes)
    for (const chunkSize of [1, 1 << 20]) {
      expect(errorOf(() => loadCsv(path, { label: 'species', chunkSize }))).toBe(
        `${path} is ${encoding}; save it as UTF-8 (in a spreadsheet "CSV UTF-8", or iconv -f ${iconv} -t UTF-8)`,
      )
    }
  })

  it('Latin-1 names the line and shows the bad byte as \ufffd', () => {
    const latin1 = Uint8Array.from('a,kind\n1,x\n2,caf\u00e9\n3,y\n', (c) => c.charCodeAt(0))
    const path = file('latin1.csv', latin1)
    for (const chunkSize of [1, 2, 1 << 20]) {
      expect(errorOf(() => loadCsv(path, { label: 'kind', chunkSize }))).toBe(
        `${path} is not UTF-8: line 3, "2,caf\ufffd", has bytes that UTF-8 does not allow (shown as \ufffd); ` +
          `it may be Latin-1 or Windows-1252: save it as UTF-8 (in a spreadsheet "CSV UTF-8", or iconv -f WINDOWS-1252 -t UTF-8)`,
      )
    }
  })

  it('a UTF-8 character cut off at the end of the file, and a zero byte, are errors too', () => {
    const cut = file('cut.csv', Uint8Array.from([...new TextEncoder().encode('a,kind\n1,x\n2,'), 0xe6, 0x97]))
    expect(errorOf(() => loadCsv(cut, { label: 'kind', chunkSize: 2 }))).toContain(`${cut} is not UTF-8: line 3,`)
    const zero = file('zero.csv', 'a,kind\n1,x\n2,y\u0000\n')
    expect(errorOf(() => loadCsv(zero, { label: 'kind' }))).toContain(`${zero} is not UTF-8 text: line 3 has a zero byte`)
  })

  it('a UTF-8 byte-order mark is accepted, also cut across chunks', () => {
    const path = file('bom.csv', '\ufeffa,kind\n1,x\n2,y\n')
    for (const chunkSize of [1, 2, 1 << 20]) expect(loadCsv(path, { label: 'kind', chunkSize }).featureNames).toEqual(['a'])
  })
})

describe('GrowingArray', () => {
  it('keeps every value pushed across blocks, with and without a reserve, in order', () => {
    for (const reserve of [0, 10, 70000, 200000]) {
      const values = new GrowingArray()
      for (let i = 0; i < 100000; i++) {
        if (i === 5 && reserve > 0) values.reserve(reserve)
        values.push(i / 2)
      }
      const all = values.take()
      expect(all.length).toBe(100000)
      expect(all.every((v, i) => v === i / 2)).toBe(true)
    }
  })
})

describe('loadCsv checks its options as parseCsv does', () => {
  it('a label that is not a column name, and a delimiter that is not one of the three', async () => {
    const path = file('options.csv', 'a,b\n1,x\n2,y\n')
    expect(errorOf(() => loadCsv(path, { label: '' }))).toBe(`${path}: the options must name the label column, e.g. { label: 'species' }`)
    expect(errorOf(() => loadCsv(path, { label: 'b', delimiter: '|' as ',' }))).toContain(`delimiter must be ',', ';' or '\\t', got "|"`)
    await expect(loadCsvStream(path, { label: '' })).rejects.toThrow('the options must name the label column')
  })
})
