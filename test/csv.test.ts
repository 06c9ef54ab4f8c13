import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCsv, parseFeatures, type CsvDelimiter } from '../src/index.js'
import { loadCsv } from '../src/index.js'
import { errorOf, tempFiles } from './csv-files.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const dataset = (name: string): string => join(root, 'datasets', name)

const { file, dir: folder } = tempFiles('softgrad-csv-')

function classCounts(y: Int32Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0)
  for (const c of y) counts[c]++
  return counts
}

const HEADER = 'sepal_length,sepal_width,petal_length,petal_width,species'
const ROWS = ['5.1,3.5,1.4,0.2,setosa', '4.9,3,1.4,0.2,setosa', '7,3.2,4.7,1.4,versicolor', '6.4,3.2,4.5,1.5,versicolor']
/** A small iris-like file whose line `line` (header = 1) is replaced by `row`. */
function irisWith(line: number, row: string): string {
  const lines = [HEADER, ...ROWS]
  lines[line - 1] = row
  return lines.join('\n') + '\n'
}

describe('loadCsv on the bundled datasets', () => {
  it('iris loads as 150 rows of 4 features in 3 classes of 50', () => {
    const { X, y, classes, featureNames } = loadCsv(dataset('iris.csv'), { label: 'species' })
    expect(X.shape).toEqual([150, 4])
    expect(featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width'])
    expect(classes).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(classCounts(y, 3)).toEqual([50, 50, 50])
    expect(Array.from(X.data.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2])
  })

  it('wine loads as 178 rows of 13 features: class_0 59, class_1 71, class_2 48', () => {
    const { X, y, classes, featureNames } = loadCsv(dataset('wine.csv'), { label: 'cultivar' })
    expect(X.shape).toEqual([178, 13])
    expect(featureNames[0]).toBe('alcohol')
    expect(featureNames).not.toContain('cultivar')
    expect(classes).toEqual(['class_0', 'class_1', 'class_2'])
    expect(classCounts(y, 3)).toEqual([59, 71, 48])
  })

  it('digits loads as 1797 rows of 64 pixels in 10 classes sorted numerically, counted as in the file', () => {
    const { X, y, classes, featureNames } = loadCsv(dataset('digits.csv'), { label: 'digit' })
    expect(X.shape).toEqual([1797, 64])
    expect(featureNames[0]).toBe('px0')
    expect(featureNames[63]).toBe('px63')
    expect(classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    // The per-class counts, recounted from the file's last column with a plain split.
    const fromFile = new Array<number>(10).fill(0)
    const lines = readFileSync(dataset('digits.csv'), 'utf8').trim().split(/\r?\n/).slice(1)
    for (const line of lines) fromFile[Number(line.split(',').at(-1))]++
    expect(fromFile).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    expect(classCounts(y, 10)).toEqual(fromFile)
    expect(X.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true)
  })
})

describe('parseCsv reads', () => {
  it('the label column when it stands first', () => {
    const d = parseCsv('kind,a,b\nx,1,2\ny,3,4\n', { label: 'kind' })
    expect(d.featureNames).toEqual(['a', 'b'])
    expect(d.X.toArray()).toEqual([[1, 2], [3, 4]])
    expect(Array.from(d.y)).toEqual([0, 1])
  })

  it('the label column when it stands in the middle', () => {
    const d = parseCsv('a,kind,b\n1,y,2\n3,x,4\n5,y,6\n', { label: 'kind' })
    expect(d.featureNames).toEqual(['a', 'b'])
    expect(d.X.toArray()).toEqual([[1, 2], [3, 4], [5, 6]])
    expect(d.classes).toEqual(['x', 'y'])
    expect(Array.from(d.y)).toEqual([1, 0, 1])
  })

  it('numeric labels sorted numerically, so 2 comes before 10', () => {
    const d = parseCsv('a,c\n1,10\n2,2\n3,-1\n4,2\n5,1.5\n', { label: 'c' })
    expect(d.classes).toEqual(['-1', '1.5', '2', '10'])
    expect(Array.from(d.y)).toEqual([3, 2, 0, 2, 1])
  })

  it('names sorted as plain strings (a < b, capitals first), also when some look like numbers', () => {
    const d = parseCsv('a,c\n1,b\n2,B\n3,10\n4,9\n', { label: 'c' })
    expect(d.classes).toEqual(['10', '9', 'B', 'b'])
  })

  it('a semicolon-separated file, detected', () => {
    const d = parseCsv('a;b;c\n1.5;2;x\n3;4;y\n', { label: 'c' })
    expect(d.X.toArray()).toEqual([[1.5, 2], [3, 4]])
  })

  it('a tab-separated file, detected', () => {
    const d = parseCsv('a\tb\tc\n1\t2\tx\n3\t4\ty\n', { label: 'c' })
    expect(d.featureNames).toEqual(['a', 'b'])
    expect(d.X.toArray()).toEqual([[1, 2], [3, 4]])
  })

  it('a quoted comma in a semicolon file without fooling the detection', () => {
    const d = parseCsv('a;"b,c";kind\n1;2;"x, y"\n3;4;z\n', { label: 'kind' })
    expect(d.featureNames).toEqual(['a', 'b,c'])
    expect(d.classes).toEqual(['x, y', 'z'])
  })

  it('the delimiter it is given', () => {
    const d = parseCsv('a;b,c;kind\n1;2;x\n3;4;y\n', { label: 'kind', delimiter: ';' })
    expect(d.featureNames).toEqual(['a', 'b,c'])
  })

  it('quoted fields holding delimiters, doubled quotes and line breaks', () => {
    const d = parseCsv('"a","b","kind"\n"1","2","say ""hi"", twice"\n3,4,"two\nlines"\n', { label: 'kind' })
    expect(d.X.toArray()).toEqual([[1, 2], [3, 4]])
    expect(d.classes).toEqual(['say "hi", twice', 'two\nlines'])
  })

  it('a UTF-8 byte-order mark before the header', () => {
    const d = parseCsv('\ufeffa,b,kind\n1,2,x\n3,4,y\n', { label: 'kind' })
    expect(d.featureNames).toEqual(['a', 'b'])
  })

  it('CRLF line ends, a trailing newline and blank trailing lines', () => {
    const d = parseCsv('a,b,kind\r\n1,2,x\r\n3,4,y\r\n\r\n\r\n', { label: 'kind' })
    expect(d.X.shape).toEqual([2, 2])
    expect(d.classes).toEqual(['x', 'y'])
    expect(parseCsv('a,b,kind\n1,2,x\n3,4,y', { label: 'kind' }).X.shape).toEqual([2, 2])
  })

  it('numbers with spaces around them, exponents, signs and leading dots', () => {
    const d = parseCsv('a, b ,kind\n 1e3 ,-.5,x\n+2.,1E-2, y \n', { label: 'kind' })
    expect(d.featureNames).toEqual(['a', 'b'])
    expect(d.X.toArray()).toEqual([[1000, -0.5], [2, 0.01]])
    expect(d.classes).toEqual(['x', 'y'])
  })
})

describe('CSV errors name the file, the line, the column and the value, and say what to do', () => {
  it('a missing file: loadCsv names the path', () => {
    const path = join(folder(), 'no-such.csv')
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain('no-such.csv')
    expect(message).toContain('there is no file')
    expect(message).toContain('check the path')
  })

  it('an empty file', () => {
    const path = file('empty.csv', '')
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toBe(`${path}: the file is empty; a CSV needs a header line naming the columns, then one line per sample`)
    expect(errorOf(() => parseCsv('\n \n', { label: 'x' }))).toContain('<text>: the file is empty')
  })

  it('a first line of numbers is not a header', () => {
    const path = file('headless.csv', '5.1,3.5,1.4,0.2\n4.9,3,1.4,0.2\n')
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 1: "5.1,3.5,1.4,0.2" is not a header`)
    expect(message).toContain('the first line must name the columns')
  })

  it('an unknown label column lists the columns there are', () => {
    const path = file('iris-label.csv', irisWith(1, HEADER))
    const message = errorOf(() => loadCsv(path, { label: 'Species' }))
    expect(message).toContain(`${path}, line 1: there is no column 'Species' to use as the label`)
    expect(message).toContain("the columns are 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'")
    expect(message).toContain("did you mean 'species'?")
  })

  it('a row with too few fields gives the line and both counts', () => {
    const path = file('short.csv', irisWith(4, '7,3.2,4.7,versicolor'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 4: expected 5 fields, as in the header, but found 4 in "7,3.2,4.7,versicolor"`)
    expect(message).toContain('missing or extra comma')
  })

  it('a row with too many fields gives the line and both counts', () => {
    const path = file('long.csv', irisWith(3, '4.9,3,1.4,0.2,0.1,setosa'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 3: expected 5 fields, as in the header, but found 6 in "4.9,3,1.4,0.2,0.1,setosa"`)
  })

  it('a blank line between rows is named', () => {
    const path = file('gap.csv', irisWith(3, ''))
    expect(errorOf(() => loadCsv(path, { label: 'species' }))).toContain(`${path}, line 3: the line is blank ""; blank lines may only come at the end`)
  })

  it('an empty feature value', () => {
    const path = file('hole.csv', irisWith(5, '6.4,,4.5,1.5,versicolor'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 5, column 'sepal_width' (2): the value is empty ""`)
    expect(message).toContain('every feature value must be a finite number')
  })

  it('a non-numeric feature value, in the words of the design', () => {
    const path = file('iris.csv', irisWith(5, '6.4,abc,4.5,1.5,versicolor'))
    expect(errorOf(() => loadCsv(path, { label: 'species' }))).toBe(
      `${path}, line 5, column 'sepal_width' (2): "abc" is not a number; every feature value must be a finite number`,
    )
  })

  it.each(['NaN', 'nan', 'inf', '-Infinity', 'Infinity', '1e999'])('the feature value %s, which is not a finite number', (value) => {
    const path = file(`special-${value}.csv`, irisWith(2, `5.1,3.5,${value},0.2,setosa`))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 2, column 'petal_length' (3): "${value}" is not a finite number`)
    expect(message).toContain('every feature value must be a finite number')
  })

  it('a decimal comma in a semicolon file gets a hint', () => {
    const message = errorOf(() => parseCsv('a;b;kind\n1,5;2;x\n3;4;y\n', { label: 'kind', source: 'eu.csv' }))
    expect(message).toContain(`eu.csv, line 2, column 'a' (1): "1,5" is not a number`)
    expect(message).toContain('write 1.5')
  })

  it('an empty label value', () => {
    const path = file('nolabel.csv', irisWith(3, '4.9,3,1.4,0.2,'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 3, column 'species' (5): the label is empty ""`)
    expect(message).toContain('every row needs a class label')
  })

  it('a single class is named, and classification needs at least 2', () => {
    const path = file('one-class.csv', [HEADER, ...ROWS.slice(0, 2)].join('\n'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, column 'species' (5): every row has the label "setosa"`)
    expect(message).toContain('needs at least 2 classes')
  })

  it('a header with no data rows', () => {
    const path = file('header-only.csv', HEADER + '\r\n\r\n')
    expect(errorOf(() => loadCsv(path, { label: 'species' }))).toBe(
      `${path}: the header (line 1) has no data rows after it; add one line per sample below it`,
    )
  })

  it('a quote inside an unquoted value (malformed quotes)', () => {
    const path = file('quote-open.csv', irisWith(4, '7,3"2,4.7,1.4,versicolor'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 4, column 'sepal_width' (2): malformed quotes in "7,3\\"2,4.7,1.4,versicolor"`)
    expect(message).toContain('double every quote inside it')
  })

  it('text after a closing quote (malformed quotes)', () => {
    const path = file('quote-close.csv', irisWith(3, '4.9,3,"1.4"x,0.2,setosa'))
    expect(errorOf(() => loadCsv(path, { label: 'species' }))).toContain(`${path}, line 3, column 'petal_length' (3): malformed quotes in "4.9,3,\\"1.4\\"x,0.2,setosa"`)
  })

  it('a quote that is never closed', () => {
    const path = file('quote-unclosed.csv', irisWith(4, '7,3.2,4.7,1.4,"versicolor'))
    const message = errorOf(() => loadCsv(path, { label: 'species' }))
    expect(message).toContain(`${path}, line 4, column 'species' (5): a quote opens in "7,3.2,4.7,1.4,\\"versicolor" and is never closed`)
  })

  it('physical line numbers after a quoted value that spans lines, with CRLF', () => {
    const text = 'a,b,kind\r\n1,2,"two\r\nlines"\r\n3,4,y\r\n5,oops,y\r\n'
    expect(errorOf(() => parseCsv(text, { label: 'kind' }))).toContain(`<text>, line 5, column 'b' (2): "oops" is not a number`)
    // A value after a multi-line value in the same row is on that row's later line.
    const within = 'kind,a\n"x\ny\nz",oops\n'
    expect(errorOf(() => parseCsv(within, { label: 'kind', source: 'within.csv' }))).toContain(`within.csv, line 4, column 'a' (2): "oops"`)
  })

  it('a label option that is not a column name, and a delimiter that is not one of the three', () => {
    expect(errorOf(() => parseCsv('a,b\n1,x\n', { label: '' }))).toContain("e.g. { label: 'species' }")
    expect(errorOf(() => parseCsv('a,b\n1,x\n', { label: 'b', delimiter: '|' as CsvDelimiter }))).toContain(`delimiter must be ',', ';' or '\\t', got "|"`)
  })
})

describe('CSV round trip (property)', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/)
  // Every finite double, -0 written as 0 (String(-0) is '0').
  const value = fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v))
  const label = (chars: string[]) =>
    fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 6 }).filter((s) => s.trim() === s)
  const plainChars = [...'abcXYZ019_-. ']
  const quotedChars = [...plainChars, ',', ';', '\t', '"', '\n']

  const table = fc
    .record({ features: fc.integer({ min: 1, max: 6 }), rows: fc.integer({ min: 2, max: 30 }), quoted: fc.boolean() })
    .chain(({ features, rows, quoted }) =>
      fc.record({
        names: fc.uniqueArray(name, { minLength: features + 1, maxLength: features + 1 }),
        labelAt: fc.integer({ min: 0, max: features }),
        X: fc.array(fc.array(value, { minLength: features, maxLength: features }), { minLength: rows, maxLength: rows }),
        labels: fc
          .array(quoted ? label(quotedChars) : label(plainChars), { minLength: rows, maxLength: rows })
          .filter((ls) => new Set(ls).size >= 2),
        quoted: fc.constant(quoted),
        delimiter: fc.constantFrom<CsvDelimiter>(',', ';', '\t'),
        newline: fc.constantFrom('\n', '\r\n'),
        trailingNewline: fc.boolean(),
        giveDelimiter: fc.boolean(),
      }),
    )

  it('any numeric table with string labels loads back exactly, whatever the delimiter, quoting and line ends', () => {
    fc.assert(
      fc.property(table, (t) => {
        const field = (s: string): string => (t.quoted ? `"${s.replaceAll('"', '""')}"` : s)
        const withLabel = <T>(cells: T[], labelCell: T): T[] => [...cells.slice(0, t.labelAt), labelCell, ...cells.slice(t.labelAt)]
        const featureNames = t.names.slice(0, -1)
        const labelName = t.names[t.names.length - 1]
        const lines = [withLabel(featureNames, labelName).map(field).join(t.delimiter)]
        t.X.forEach((row, i) => lines.push(withLabel(row.map(String), t.labels[i]).map(field).join(t.delimiter)))
        const text = lines.join(t.newline) + (t.trailingNewline ? t.newline : '')

        const d = parseCsv(text, { label: labelName, ...(t.giveDelimiter ? { delimiter: t.delimiter } : {}) })
        expect(d.featureNames).toEqual(featureNames)
        expect(d.X.shape).toEqual([t.X.length, featureNames.length])
        const expected = t.X.flat()
        expect(expected.every((v, k) => Object.is(v, d.X.data[k]))).toBe(true)
        expect(Array.from(d.y, (c) => d.classes[c])).toEqual(t.labels)
        expect(d.classes.length).toBe(new Set(t.labels).size)
      }),
      { numRuns: 300, seed: 20240601 },
    )
  })
})

describe('csv.ts is browser-safe', () => {
  const source = readFileSync(join(root, 'src/data/csv.ts'), 'utf8')
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')

  it('imports no node: module and no Node built-in', () => {
    const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1])
    expect(specifiers).toContain('csv-parse/browser/esm/sync')
    for (const s of specifiers) {
      expect(s.startsWith('node:'), s).toBe(false)
      expect(builtinModules.includes(s), s).toBe(false)
    }
  })

  it('uses no Buffer, and parses with the global Buffer gone, as in a browser', () => {
    expect(code).not.toMatch(/\bBuffer\b/)
    const g = globalThis as { Buffer?: unknown }
    const saved = g.Buffer
    delete g.Buffer
    try {
      const d = parseCsv('a;"b";kind\n1;2;x\n3;4;y\n', { label: 'kind' })
      expect(d.X.toArray()).toEqual([[1, 2], [3, 4]])
    } finally {
      g.Buffer = saved
    }
  })
})

describe('parseFeatures reads the columns a model was trained on', () => {
  const text = 'species,b,a,extra\nx,1,2,zz\ny,3,4,zz\n'

  it('picks the named columns in the model’s order wherever they stand and maps labels to its classes', () => {
    const { X, y } = parseFeatures(text, { featureNames: ['a', 'b'], label: 'species', classes: ['x', 'y'] })
    expect(X.toArray()).toEqual([[2, 1], [4, 3]])
    expect(Array.from(y!)).toEqual([0, 1])
    expect(parseFeatures('a,b\n1,2\n', { featureNames: ['a', 'b'], label: 'species' }).y).toBeUndefined()
  })

  it('names a missing column, a bad value and an unknown class by file, line and column', () => {
    expect(() => parseFeatures(text, { featureNames: ['a', 'c'], source: 'new.csv' })).toThrow(
      "new.csv, line 1: there is no column 'c', which the model needs; it needs 'a', 'c' and the file has 'species', 'b', 'a', 'extra'",
    )
    expect(() => parseFeatures('a,b\n1,oops\n', { featureNames: ['a', 'b'], source: 'new.csv' })).toThrow(
      /^new.csv, line 2, column 'b' \(2\): "oops" is not a number/,
    )
    expect(() => parseFeatures(text, { featureNames: ['a'], label: 'species', classes: ['x'], source: 'new.csv' })).toThrow(
      `new.csv, line 3, column 'species' (1): the label "y" is not one of the model's classes "x"`,
    )
  })
})
