// ort_profile.js - ONNX Runtime's own per-operator time for a model (its
// profiler), to set beside deepseek's per-kernel profile.
//
//   node ort_profile.js MODEL [--runs N] [--threads T]
//
// Runs the model N times (default 12) on a constant input of the declared
// float shape (dynamic dims as 1), graph optimization "all", and prints the
// median time of a run and, per operator type, the sum over its nodes of each
// node's median kernel time (ms), the first two runs skipped as warm-up.
// Profiling adds overhead: compare shares, or scale by an unprofiled run.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const ort = require(process.env.ORT_NODE_MODULE || 'onnxruntime-node');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

(async () => {
  const args = process.argv.slice(2);
  const model = args[0];
  let runs = 12, threads = 1;
  for (let i = 1; i < args.length; i += 2) {
    if (args[i] === '--runs') runs = Number(args[i + 1]);
    else if (args[i] === '--threads') threads = Number(args[i + 1]);
    else throw new Error(`unknown argument ${args[i]}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ortprof-'));
  const prefix = path.join(dir, 'p');
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
    enableProfiling: true, profileFilePrefix: prefix});
  const feeds = {};
  for (const name of session.inputNames) {
    const meta = session.inputMetadata ? session.inputMetadata.find(m => m.name === name) : null;
    const dims = meta && meta.shape ? meta.shape.map(d => (typeof d === 'number' && d > 0 ? d : 1))
                                    : [1, 3, 224, 224];
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[name] = new ort.Tensor('float32', new Float32Array(n).fill(0.5), dims);
  }
  for (let i = 0; i < runs; i++) await session.run(feeds);
  session.endProfiling(); // writes <prefix>_<date>.json (its name is not returned)
  const file = fs.readdirSync(dir).filter(f => f.endsWith('.json')).map(f => path.join(dir, f))[0];
  const events = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.rmSync(dir, {recursive: true});
  const runTimes = events.filter(e => e.name === 'model_run').map(e => e.dur).slice(2);
  const perNode = new Map();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const key = `${e.args.op_name}\t${e.name}`;
    if (!perNode.has(key)) perNode.set(key, []);
    perNode.get(key).push(e.dur);
  }
  const perOp = new Map();
  for (const [key, durs] of perNode) {
    const op = key.split('\t')[0];
    perOp.set(op, (perOp.get(op) || 0) + median(durs.length > 2 ? durs.slice(2) : durs) / 1000);
  }
  console.log(`model_run median ${(median(runTimes) / 1000).toFixed(3)} ms`);
  for (const [op, ms] of [...perOp].sort((a, b) => b[1] - a[1]))
    console.log(`${ms.toFixed(3)} ms\t${op}`);
})().catch(e => { console.error(`ort_profile: error: ${e.message}`); process.exit(1); });
