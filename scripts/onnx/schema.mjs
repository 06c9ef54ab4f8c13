#!/usr/bin/env node
/**
 * Writes src/export/onnx-schema.ts: ONNX's onnx.proto as protobufjs JSON, the schema
 * exportOnnx encodes with (protobufjs reads it with Root.fromJSON; no protoc, nothing fetched).
 *
 * Run once when the schema should follow a newer ONNX:
 *
 *   apt-get install python3-onnx          # Debian's ONNX ships its .proto files
 *   node scripts/onnx/schema.mjs [path/to/onnx.proto]
 *
 * The default path is Debian's copy, /usr/lib/python3/dist-packages/onnx/onnx.proto (ONNX
 * 1.12: IR version 8, opset 17). Field names keep onnx.proto's snake_case (ir_version,
 * raw_data), so the exporter reads like the ONNX documentation. The tests never run this.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'

const source = process.argv[2] ?? '/usr/lib/python3/dist-packages/onnx/onnx.proto'
const text = readFileSync(source, 'utf8')
const { root } = protobuf.parse(text, { keepCase: true })
const schema = root.toJSON()
const version = root.lookupEnum('onnx.Version').values.IR_VERSION
const sha256 = createHash('sha256').update(text).digest('hex')

const out = fileURLToPath(new URL('../../src/export/onnx-schema.ts', import.meta.url))
writeFileSync(
  out,
  `/**
 * onnx.proto as protobufjs JSON (Root.fromJSON reads it): every message and enum of ONNX's
 * model format, IR version ${version}. Written by scripts/onnx/schema.mjs; do not edit by hand.
 * From ${source}
 * (sha256 ${sha256}).
 */
import type { INamespace } from 'protobufjs/light.js'

export const ONNX_SCHEMA: INamespace = ${JSON.stringify(schema, null, 2)}
`,
)
console.log(`wrote ${out} (IR version ${version}, from ${source})`)
