// ort_run.js - run an ONNX model with ONNX Runtime (onnxruntime-node), the peer
// reference for deepseek's numerical comparisons and benchmarks.
//
//   node ort_run.js MODEL --input x.npy ... [--output y.npy ...] [--bench N] [--threads T]
//
// Inputs/outputs are .npy files (float32, int64, int32, uint8, bool), in the
// model's input/output order. --bench prints the same line format as compiled
// deepseek executables: "bench: runs=N median=X ms min=Y ms max=Z ms threads=T".
// ORT_NODE_MODULE names the onnxruntime-node folder (default: resolved normally).
'use strict';
const fs = require('fs');
const ort = require(process.env.ORT_NODE_MODULE || 'onnxruntime-node');

const DTYPES = {
  '<f4': ['float32', Float32Array], '<i8': ['int64', BigInt64Array],
  '<i4': ['int32', Int32Array], '|u1': ['uint8', Uint8Array], '|b1': ['bool', Uint8Array],
  '|i1': ['int8', Int8Array],
};

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map(s => s.trim())
      .filter(s => s.length).map(Number);
  if (!DTYPES[descr]) throw new Error(`${path}: unsupported dtype ${descr}`);
  const [type, Ctor] = DTYPES[descr];
  const offset = start + headerLen;
  const bytes = buf.subarray(offset);
  const data = new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return new ort.Tensor(type, type === 'bool' ? Uint8Array.from(data) : data, shape);
}

function writeNpy(path, tensor) {
  const descr = Object.keys(DTYPES).find(k => DTYPES[k][0] === tensor.type);
  if (!descr) throw new Error(`cannot write dtype ${tensor.type}`);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1; pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), data]));
}

async function main() {
  const args = process.argv.slice(2);
  const model = args[0];
  const inputs = [], outputs = [];
  let bench = 0, threads = 0;
  for (let i = 1; i < args.length; i += 2) {
    if (args[i] === '--input') inputs.push(args[i + 1]);
    else if (args[i] === '--output') outputs.push(args[i + 1]);
    else if (args[i] === '--bench') bench = Number(args[i + 1]);
    else if (args[i] === '--threads') threads = Number(args[i + 1]);
    else throw new Error(`unknown argument ${args[i]}`);
  }
  const options = { graphOptimizationLevel: 'all' };
  if (threads > 0) { options.intraOpNumThreads = threads; options.interOpNumThreads = 1; }
  const session = await ort.InferenceSession.create(model, options);
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
  let results = await session.run(feeds);
  session.outputNames.forEach((name, i) => { if (outputs[i]) writeNpy(outputs[i], results[name]); });
  if (bench > 0) {
    const times = [];
    for (let r = 0; r < bench; ++r) {
      const t0 = process.hrtime.bigint();
      results = await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const mid = times.length >> 1;
    const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
    console.log(`bench: runs=${bench} median=${median.toFixed(3)} ms min=${times[0].toFixed(3)} ms ` +
                `max=${times[times.length - 1].toFixed(3)} ms threads=${threads || 'default'}`);
  }
}

main().catch(e => { console.error(`ort_run: error: ${e.message}`); process.exit(1); });
