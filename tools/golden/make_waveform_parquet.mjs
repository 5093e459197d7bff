// Writes the waveform set of make_waveform_formats.py as Parquet, by an independent writer (parquet-wasm, the Rust
// arrow-rs Parquet writer compiled to WebAssembly, fed by apache-arrow), for the reader tests:
//
//     cd tools/golden && npm install && node make_waveform_parquet.mjs ../../tests/Peakformer.Tests/Golden
//
// The data are read from the committed wf_i16.npz (int16 ADC counts, pedestal [3], gain (), sampling_ns ()), so both
// files hold the same bits as the NumPy goldens: the float32 amplitude (adc - pedestal) * gain is exact in double and
// in float32 (a multiple of 2^-8 below 2^7, see make_waveform_formats.py), so Math.fround of it is wf_f32.npz's value.
//
// wf_f32.parquet  one row per waveform: event int64, waveforms list<float32>, sampling_ns float64 (the layout pandas
//                 and awkward write for a list column); snappy, dictionary pages, one row group
// wf_adc.parquet  event int64, adc list<int16> (ADC counts), pedestal float64, gain float64; the sampling interval as
//                 the file's key-value metadata sampling_ns=0.5; gzip, two row groups (2 rows, then 1), so a reader
//                 must cross a row-group boundary; read with --map waveforms=adc
// Neither holds Monte-Carlo truth.
// sim_truth.parquet  the simulated set with truth of sim_truth.npz (see make_waveform_formats.py) in the layout pandas
//                 and awkward write, one row per waveform: waveforms list<float32>, sampling_ns float64, each
//                 per-electron truth array as a list column of that waveform's electrons (electron_time_ns
//                 list<float32>, electron_peak_sample and electron_cluster list<int32>, electron_tag list<uint8>; the
//                 offsets are implicit in the lists' lengths), each per-waveform value as a number column (particle
//                 int32, momentum_gev, beta_gamma, track_length_cm float64, n_clusters int32), the generator's config
//                 as key-value metadata 'config'; snappy, row groups of 5 rows (5, 5, 2), so truth crosses groups too
// CI does not run this: the outputs are committed.
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Field, Float32, Float64, Int16, Int32, Int64, List, Table, Uint8, tableToIPC, vectorFromArray } from "apache-arrow";
import * as parquet from "parquet-wasm/node";

const out = process.argv[2] ?? ".";
const golden = join(dirname(fileURLToPath(import.meta.url)), "../../tests/Peakformer.Tests/Golden");
const npz = readNpz(join(golden, "wf_i16.npz"));
const adc = npz.waveforms, pedestal = npz.pedestal.data, gain = npz.gain.data[0], dt = npz.sampling_ns.data[0];
const [n, length] = adc.shape;
if (adc.descr !== "<i2") throw new Error(`wf_i16.npz waveforms: expected <i2, found ${adc.descr}`);

const counts = [], amplitudes = [];
for (let i = 0; i < n; i++) {
  const row = Array.from(adc.data.subarray(i * length, (i + 1) * length));
  counts.push(row);
  amplitudes.push(row.map(v => Math.fround((v - pedestal[i]) * gain)));
}
const events = vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i)), new Int64());

const f32 = new Table({
  event: events,
  waveforms: vectorFromArray(amplitudes, new List(new Field("item", new Float32(), true))),
  sampling_ns: vectorFromArray(Array(n).fill(dt), new Float64()),
});
write(join(out, "wf_f32.parquet"), f32, new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build());

const adcTable = new Table({
  event: events,
  adc: vectorFromArray(counts, new List(new Field("item", new Int16(), true))),
  pedestal: vectorFromArray(Array.from(pedestal), new Float64()),
  gain: vectorFromArray(Array(n).fill(gain), new Float64()),
});
write(join(out, "wf_adc.parquet"), adcTable, new parquet.WriterPropertiesBuilder()
  .setCompression(parquet.Compression.GZIP)
  .setMaxRowGroupSize(2)
  .setKeyValueMetadata(new Map([["sampling_ns", String(dt)]]))
  .build());

const sim = readNpz(join(golden, "sim_truth.npz"));
{
  const [m, samples] = sim.waveforms.shape;
  const offsets = Array.from(sim.electron_offsets.data, Number);
  const rows = (array) => Array.from({ length: m }, (_, i) => Array.from(array.data.subarray(offsets[i], offsets[i + 1]), Number));
  const list = (type) => new List(new Field("item", type, true));
  const truth = new Table({
    waveforms: vectorFromArray(Array.from({ length: m }, (_, i) => Array.from(sim.waveforms.data.subarray(i * samples, (i + 1) * samples))), list(new Float32())),
    sampling_ns: vectorFromArray(Array(m).fill(sim.sampling_ns.data[0]), new Float64()),
    electron_time_ns: vectorFromArray(rows(sim.electron_time_ns), list(new Float32())),
    electron_peak_sample: vectorFromArray(rows(sim.electron_peak_sample), list(new Int32())),
    electron_cluster: vectorFromArray(rows(sim.electron_cluster), list(new Int32())),
    electron_tag: vectorFromArray(rows(sim.electron_tag), list(new Uint8())),
    particle: vectorFromArray(Array.from(sim.particle.data), new Int32()),
    momentum_gev: vectorFromArray(Array.from(sim.momentum_gev.data), new Float64()),
    beta_gamma: vectorFromArray(Array.from(sim.beta_gamma.data), new Float64()),
    track_length_cm: vectorFromArray(Array.from(sim.track_length_cm.data), new Float64()),
    n_clusters: vectorFromArray(Array.from(sim.n_clusters.data), new Int32()),
  });
  write(join(out, "sim_truth.parquet"), truth, new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupSize(5)
    .setKeyValueMetadata(new Map([["config", sim.config.data[0]]]))
    .build());
}

function write(path, table, properties) {
  const bytes = parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(table, "stream")), properties);
  writeFileSync(path, bytes);
  console.log(`${path}: ${bytes.length} bytes, ${table.numRows} rows`);
}

// The arrays of an uncompressed .npz (np.savez): each zip entry is stored, so its .npy starts right after the local
// header; the .npy header gives dtype and shape, and so the data's length (no need for the zip's own sizes).
function readNpz(path) {
  const buf = readFileSync(path);
  const arrays = {};
  let at = 0;
  while (buf.readUInt32LE(at) === 0x04034b50) {
    if (buf.readUInt16LE(at + 8) !== 0) throw new Error(`${path}: a compressed entry (expected np.savez's stored entries)`);
    const nameLength = buf.readUInt16LE(at + 26), extraLength = buf.readUInt16LE(at + 28);
    const name = buf.toString("utf8", at + 30, at + 30 + nameLength).replace(/\.npy$/, "");
    const npy = at + 30 + nameLength + extraLength;
    if (buf.toString("latin1", npy + 1, npy + 6) !== "NUMPY") throw new Error(`${path} [${name}]: not an .npy`);
    const major = buf[npy + 6];
    const headerLength = major === 1 ? buf.readUInt16LE(npy + 8) : buf.readUInt32LE(npy + 8);
    const headerStart = npy + (major === 1 ? 10 : 12);
    const header = buf.toString("latin1", headerStart, headerStart + headerLength);
    const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
    if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path} [${name}]: Fortran order`);
    const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(",").map(s => s.trim()).filter(s => s).map(Number);
    const count = shape.reduce((a, b) => a * b, 1);
    const start = headerStart + headerLength;
    const types = { "<i2": Int16Array, "<f8": Float64Array, "<f4": Float32Array, "<i4": Int32Array, "<i8": BigInt64Array, "<u1": Uint8Array, "|u1": Uint8Array };
    if (/^<U\d+$/.test(descr)) {
      // NumPy's fixed-width unicode: UTF-32LE code points, NUL-padded.
      const width = Number(descr.slice(2)), strings = [];
      for (let k = 0; k < count; k++) {
        const points = [];
        for (let c = 0; c < width; c++) {
          const p = buf.readUInt32LE(start + (k * width + c) * 4);
          if (p !== 0) points.push(p);
        }
        strings.push(String.fromCodePoint(...points));
      }
      arrays[name] = { descr, shape, data: strings };
      at = start + count * width * 4;
      while (at + 4 <= buf.length && buf.readUInt32LE(at) !== 0x04034b50 && buf.readUInt32LE(at) !== 0x02014b50) at++;
      continue;
    }
    if (!types[descr]) throw new Error(`${path} [${name}]: dtype ${descr} not expected here`);
    const Type = types[descr];
    const bytes = buf.subarray(start, start + count * Type.BYTES_PER_ELEMENT);
    arrays[name] = { descr, shape, data: new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) };
    at = start + count * Type.BYTES_PER_ELEMENT;
    // np.savez may append a data descriptor after a stored entry: skip to the next local header.
    while (at + 4 <= buf.length && buf.readUInt32LE(at) !== 0x04034b50 && buf.readUInt32LE(at) !== 0x02014b50) at++;
  }
  return arrays;
}
