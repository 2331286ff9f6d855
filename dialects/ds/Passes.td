//===- Passes.td - deepseek's passes -----------------------*- tablegen -*-===//
//
// Every stage of the pipeline is a registered pass that deepseek-opt can run
// alone on textual IR (see DESIGN.md); the drivers in lib/Driver chain them.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_PASSES_TD
#define DEEPSEEK_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Graph optimization on the ds dialect (lib/Transforms); the pipeline
// `ds-optimize-graph` runs them in order (see GraphPipeline.cpp).
//===----------------------------------------------------------------------===//

def DSFoldBatchNorm : Pass<"ds-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference BatchNorm into the preceding conv/gemm, or into a scale and shift";
  let description = [{
    `batch_norm(conv(x, W) + b)` with constant parameters becomes one `ds.conv`
    with `W' = W * s` (per output channel) and `b' = (b - mean) * s + beta`,
    where `s = gamma / sqrt(var + epsilon)`; the same for a `ds.gemm` whose
    output channels are its columns. A BatchNorm with no foldable producer (the
    producer has other users, an epilogue already, or is another op) becomes
    `x * s + t` with per-channel constants, which elementwise fusion merges
    into its neighbours. Only f32 constants are folded; anything else is left.
  }];
  let dependentDialects = ["ds::DSDialect"];
}

def DSRecognizeActivations : Pass<"ds-recognize-activations", "func::FuncOp"> {
  let summary = "Rewrite decomposed GELU, SiLU and HardSwish into single ds ops";
  let description = [{
    Recognizes `x * 0.5 * (1 + erf(x / sqrt(2)))` (any association of the
    product, the division also as a multiplication by 1/sqrt(2)) as `ds.gelu`,
    `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))` as `ds.gelu` with
    `approximate = tanh`, `x * sigmoid(x)` as `ds.silu` and
    `x * hard_sigmoid(x)` with alpha 1/6, beta 1/2 as `ds.hard_swish`. Every
    intermediate must have no other user, and the result must have x's type.
  }];
  let dependentDialects = ["ds::DSDialect"];
}

def DSRecognizeLayerNorm : Pass<"ds-recognize-layer-norm", "func::FuncOp"> {
  let summary = "Rewrite the decomposed LayerNorm exporters emit into ds.layer_norm";
  let description = [{
    `d = x - mean(x); y = d / sqrt(mean(d^2) + eps) * gamma + beta`, with both
    means over the same trailing dimensions, `d^2` as `pow(d, 2)` or `d * d`,
    and `gamma`/`beta` optional and broadcasting to the normalized dimensions.
  }];
  let dependentDialects = ["ds::DSDialect"];
}

def DSRecognizeAttention : Pass<"ds-recognize-attention", "func::FuncOp"> {
  let summary = "Rewrite MatMul, scale, mask Add, Softmax, MatMul into ds.attention";
  let description = [{
    `matmul(softmax(matmul(Q, K^T) * c + mask), V)`: the scale as a
    multiplication or division by a scalar constant (or absent), the mask
    optional, the softmax over the last dimension, Q, K^T and V of one rank with
    equal batch dimensions. K^T is usually a `ds.transpose`; its permutation is
    composed with the swap of the last two dimensions so that ds.attention
    receives K as `[..., Sk, D]`.
  }];
  let dependentDialects = ["ds::DSDialect"];
}

def DSFuseEpilogues : Pass<"ds-fuse-epilogues", "func::FuncOp"> {
  let summary = "Fuse bias, residual Add and activation into ds.conv/gemm/matmul";
  let description = [{
    Grows the epilogue `activation(product + bias + residual)` of a contraction
    whose result has exactly one user: an Add of a per-channel constant
    becomes the bias, an Add of a tensor of the result's shape the residual,
    and relu, clip, leaky_relu, sigmoid, hard_sigmoid, hard_swish, silu, gelu
    or tanh the activation. The order of the formula is kept: nothing is fused
    past an activation, and a bias only into a product without residual.
  }];
  let dependentDialects = ["ds::DSDialect"];
}

def DSFuseQuantizedConvs : Pass<"ds-fuse-quantized-convs", "func::FuncOp"> {
  let summary = "Turn dequantize -> conv (and Gemm, max pool) of a QDQ model into integer ops";
  let description = [{
    A 2-D one-group ds.conv whose input is the dequantized value of a tensor
    quantized per tensor to u8, and whose weight is the dequantized value of
    i8 weights quantized symmetrically (per tensor or per output channel),
    becomes a ds.qconv on the quantized tensors, keeping its bias, residual
    and activation: the form whose lowering multiplies 8-bit integers. Runs
    after ds-fuse-epilogues, so the epilogue is already in the conv. Other
    convolutions (signed or asymmetric operands, grouped, 1-D/3-D) stay as
    they are and compute on dequantized floats.

    Two more QDQ groups become integer ops: a Gemm of one dequantized u8
    row and constant symmetric i8 weights [N, K] (transB; a classifier) is a
    1x1 ds.qconv between ds.reshapes, and dequantize -> max pool ->
    quantize with the same per-tensor parameters is a ds.max_pool of the
    quantized tensor (its 8-bit storage pooled).

    With `signed-inputs` (armv8, whose `sdot` or widening multiplies take
    s8 by s8), inputs quantized per tensor to i8 make qconvs too; with
    `i16-pair-sums` (armv8 without dotprod, which adds two products in 16
    bits) only when the weights are constants without -128; `unsigned-inputs=false` (targets without
    AVX-512 VNNI, where an 8-bit product would be a plain integer loop nest)
    leaves u8-input convolutions and Gemms float (their weights dequantize
    at compile time).
  }];
  let options = [
    Option<"unsignedInputs", "unsigned-inputs", "bool", /*default=*/"true",
           "Fuse convolutions whose input is quantized to u8 (x86 AVX-512 VNNI)">,
    Option<"signedInputs", "signed-inputs", "bool", /*default=*/"false",
           "Fuse convolutions whose input is quantized to i8 (armv8)">,
    Option<"i16PairSums", "i16-pair-sums", "bool", /*default=*/"false",
           "The target sums s8 x s8 products in pairs in 16 bits (armv8 without "
           "dotprod): only constant weights in [-127, 127] fuse">,
  ];
  let dependentDialects = ["ds::DSDialect", "quant::QuantDialect"];
}

def DSPruneChannels : Pass<"ds-prune-channels", "func::FuncOp"> {
  let summary = "Remove whole output channels of convolutions and matrix products";
  let description = [{
    Structured channel pruning (deepseek/Transforms/ChannelPruning.h). Finds
    the groups of channels that must go together: a residual Add joins its
    operands' channels, depthwise convolutions, BatchNorm, activations and
    per-channel scales (squeeze-excite) follow their input's, a Flatten into
    a Gemm turns each channel into a block of columns, and a Concat's
    channels are its inputs' groups one after the other. Groups that reach
    the function's arguments or results, or an op without a rule, keep every
    channel. In each other group created by constant weights, channels are
    ranked by the l1 or l2 norm of those weights (times a following
    BatchNorm's scale) and the best `1 - ratio` kept, rounded up to a
    multiple of `granularity`. Constants are sliced, types narrowed,
    depthwise group counts updated. `report` emits a remark per group at its
    first producer (or its Concat) saying what it keeps and why.
  }];
  let options = [
    Option<"ratio", "ratio", "double", /*default=*/"0.0",
           "Fraction of each prunable group's channels to remove, in [0, 1)">,
    Option<"criterion", "criterion", "std::string", /*default=*/"\"l1\"",
           "Channel score: l1 or l2 norm of the producing weights">,
    Option<"granularity", "granularity", "int64_t", /*default=*/"8",
           "Kept channel counts are multiples of this">,
    ListOption<"skip", "skip", "std::string",
               "Layers (op names) whose output channels stay">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per channel group">,
  ];
  let dependentDialects = ["ds::DSDialect"];
}

def ConvertDSToLinalg : Pass<"convert-ds-to-linalg", "func::FuncOp"> {
  let summary = "Lower ds ops to linalg, tensor, arith and math on static shapes";
  let description = [{
    Rewrites every ds op of a function into upstream dialects on tensors: named
    linalg ops where one fits exactly (2-D convolutions, depthwise convolutions,
    transposes, fills), `linalg.generic` elsewhere, `tensor` ops for reshapes,
    slices and padding. All shapes must be static (fix dynamic dims at import with
    `--input-shape`). Ops without a lowering are all reported at once, each with
    its location, and the pass fails.
  }];
  let dependentDialects = [
    "arith::ArithDialect", "linalg::LinalgDialect", "math::MathDialect",
    "scf::SCFDialect", "tensor::TensorDialect"
  ];
}

def DSFuseElementwise : Pass<"ds-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse elementwise producers into consumers that compute each element once";
  let description = [{
    Upstream elementwise fusion (`linalg-fuse-elementwise-ops`) also fuses an
    elementwise producer into a contraction, which then recomputes the producer
    once per reduction step: BERT's GELU erf fused into the next matmul was
    evaluated 768 times per element and took half of the run time. This pass
    applies the same rewrite only when the consumer has no reduction loops
    and the producer has no other user: a producer that stays materialized
    for another op would be computed (and its inputs read) twice.

    A fused body is capped at `max-body-ops` operations: each fusion copies
    the producer's body into the consumer, so fusing a chain of n ops
    without a cap costs O(n^2) (a crafted model of 100,000 chained Relus
    took over 12 minutes to compile); real models' fused bodies hold fewer
    than 100 ops.

    With `widen-into-contractions`, a producer that only widens its input
    (a body of one `arith.extf`: an FP16 model's weights made f32) is fused
    into a contraction too: the GPU's tiled products
    (`ds-gpu-tile-contractions`) widen each element once as they stage it in
    shared memory, so the weights stay f16 on the device and no kernel
    widens them on every run.
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "unsigned", /*default=*/"512",
           "Largest number of operations a fused body may hold">,
    Option<"widenIntoContractions", "widen-into-contractions", "bool", /*default=*/"false",
           "Fuse producers that only widen (arith.extf) into contractions too">
  ];
  let dependentDialects = ["linalg::LinalgDialect"];
}

def DSCPUApproximateMath : Pass<"ds-cpu-approximate-math", "func::FuncOp"> {
  let summary = "Replace f32 erf and tanh by MLIR's polynomial approximations";
  let description = [{
    `math.erf` and `math.tanh` on f32 (GELU, tanh activations) have no LLVM
    intrinsic: left alone they become one libm call per element and keep the
    loops around them scalar (an erf call per element was 5% of BERT-base).
    This pass rewrites them with upstream's polynomial approximations
    (`populatePolynomialApproximateErfPattern` / `...TanhPattern`, the
    Eigen-derived rational approximations), which are plain arithmetic and
    vectorize with the rest of their kernel, e.g. as a register tile's
    epilogue. Other types and functions are left to libm.
  }];
  let dependentDialects = ["arith::ArithDialect", "math::MathDialect",
                           "vector::VectorDialect"];
}

def DSCPUTileContractions : Pass<"ds-cpu-tile-contractions", "func::FuncOp"> {
  let summary = "Register-tile f32 matmul-like contractions and vectorize the tiles";
  let description = [{
    A linalg.generic that is a matmul (optionally batched: one reduction dim,
    projected-permutation maps, a multiply-add body on f32) is tiled into
    `scf.forall` over Mr x Nr output tiles (Mr in {8, 4, 2, 1}, Nr in {32, 16},
    chosen to divide the output, so no partial tiles exist; other shapes are
    left to ds-cpu-loop-order), then into an `scf.for` over K with step 1, and
    the Mr x Nr x 1 tile is vectorized (broadcasts, a multiply and an add
    reduction over the unit K dim, which LLVM turns into FMAs). After
    bufferization, `ds-cpu-lower-vectors` hoists the accumulator out of the K
    loop, so it lives in registers: the kernel loads one B row segment and Mr
    broadcasts of A per step and issues Mr x Nr/16 FMAs (AVX-512). The
    multiply and the add carry `fastmath<contract>` so that LLVM may fuse
    them (without it each step is a vmulps and a vaddps). A constant B whose
    rows are a multiple of 64 floats long is re-laid out with 16 floats of
    padding per row and read through a slice, so the K rows of a panel do not
    map to a handful of cache sets; a constant B read as B[n][k] (Gemm with
    transB) is stored transposed first, for every matmul-like generic.

    With `vnni` (AVX-512 VNNI targets), the 8-bit products ds.qconv lowers to
    (u8 [N, P, K/4, 4] x i8 [F/16, K/4, 16, 4] -> i32 [N, P, F/16, 16]) are
    tiled the same way (Mr rows of one 16-channel group, K in steps of four
    taps) and each step becomes Mr `vpdpbusd`: a 4-byte broadcast of the
    row's taps against the group's 64-byte weight row, accumulated in i32.
    With `signed-products` (armv8), the products of s8 inputs are tiled as
    Mr pixels (up to 6) of one 16-channel group, each step Mr dots of four
    bytes per lane that ds-cpu-lower-vectors turns into 4 `sdot` (dotprod)
    or 16 widening instructions.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's vector registers: 512 (AVX-512) gives f32 "
           "tiles of up to 12x32, 128 (NEON) tiles of up to 6x16">,
    Option<"vnni", "vnni", "bool", /*default=*/"false",
           "Emit AVX-512 VNNI (vpdpbusd) for 8-bit products">,
    Option<"signedProducts", "signed-products", "bool", /*default=*/"false",
           "Tile s8 x s8 products (armv8: sdot with dotprod, widening "
           "multiplies otherwise)">,
  ];
  let dependentDialects = ["linalg::LinalgDialect", "scf::SCFDialect",
                           "vector::VectorDialect", "tensor::TensorDialect",
                           "LLVM::LLVMDialect"];
}

def DSCPULowerVectors : Pass<"ds-cpu-lower-vectors", "func::FuncOp"> {
  let summary = "Hoist accumulators and lower vector contractions to FMAs";
  let description = [{
    On bufferized code: hoists loop-invariant vector.transfer_read/write pairs
    out of their loops (the accumulators of ds-cpu-tile-contractions), lowers
    vector.contract to outer products and those to vector.fma, and lowers
    transfers to rank-1 loads and stores, fully unrolled.

    The 8-bit tiles' dots of four bytes per i32 lane become the target's
    instruction: u8 x s8 AVX-512 VNNI's `vpdpbusd`; s8 x s8 armv8's `sdot`
    with `sdot`, otherwise per 4 lanes two `smull` (8 products in 16 bits
    each), an `addp` (pairs of products, still 16 bits: exact because the
    weights avoid -128, see ds-fuse-quantized-convs' `i16-pair-sums`) and a
    `sadalp` (pairs of pairs added into the i32 lanes): 16 multiply-adds in
    four instructions, as many as four `fmla`.
  }];
  let options = [
    Option<"sdot", "sdot", "bool", /*default=*/"false",
           "Lower s8 x s8 dots of four bytes to armv8's sdot (dotprod targets) "
           "instead of smull, addp and sadalp">,
  ];
  let dependentDialects = ["vector::VectorDialect", "scf::SCFDialect",
                           "memref::MemRefDialect", "LLVM::LLVMDialect"];
}

def DSCPUPrefetchWeightPanels : Pass<"ds-cpu-prefetch-weight-panels", "func::FuncOp"> {
  let summary = "Prefetch the next panel of large packed weights into L2";
  let description = [{
    On bufferized, vector-lowered code: every load of a row of a packed
    constant weight (`memref.get_global` of shape [P, ..., Nr], Nr 16 or 32
    floats, at least `min-bytes` in all) inside a loop gets one
    `memref.prefetch` (read, L2) per cache line of the same row of the next
    panel. A register tile streams its panel from L2 while the next one
    arrives from memory, instead of stalling on it when its first row tile
    starts (BERT-base's and ResNet-50's late-stage weights do not stay in
    cache between inferences).
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"1048576",
           "Smallest weight (bytes) worth prefetching; smaller ones stay in L2">,
  ];
  let dependentDialects = ["memref::MemRefDialect", "arith::ArithDialect"];
}

def DSCPULoopOrder : Pass<"ds-cpu-loop-order", "func::FuncOp"> {
  let summary = "Order contraction loops so the innermost loop vectorizes";
  let description = [{
    A contraction as written (matmul over m, n, k; convolution over n, f, oh, ow,
    c, kh, kw) keeps its reduction loop innermost: one serial chain of
    floating-point adds that no vectorizer may reorder. This pass generalizes
    named convolutions and interchanges every linalg.generic with reduction loops
    so that the parallel dim that is contiguous in the output (and in an input)
    runs innermost, after the reductions: the inner loop then streams rows with
    independent lanes, which LLVM's loop vectorizer turns into AVX2/AVX-512 (or
    NEON) code. The multiply-adds of such bodies are marked `contract` so they
    become FMAs. Reductions over the contiguous axis itself (softmax sums) keep
    their order.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "arith::ArithDialect"];
}

def DSStridedCopyToLinalg : Pass<"ds-strided-copy-to-linalg", "func::FuncOp"> {
  let summary = "Turn memref.copy between strided views into linalg.copy";
  let description = [{
    Bufferization copies into and out of subviews (padding, concatenation) with
    `memref.copy`; the LLVM lowering turns a copy with a non-identity layout into
    a call to `memrefCopy` from MLIR's C runner library, which compiled models
    must not depend on. As `linalg.copy` the copy becomes loops like every other
    kernel. Contiguous copies stay `memref.copy` (they become `llvm.memcpy`).
  }];
  let dependentDialects = ["linalg::LinalgDialect"];
}

def DSUnshareFills : Pass<"ds-unshare-fills", "func::FuncOp"> {
  let summary = "Give each use of a linalg.fill on tensors a fill of its own";
  let description = [{
    After CSE one `linalg.fill` often initializes several ops (the zeros
    several matmuls or convolutions accumulate into). Each writes its init,
    so one-shot bufferization copies the filled buffer for all but one of
    them. This pass gives each use a clone of the fill (and of its
    `tensor.empty`) right before it, so each op accumulates in place, and a
    fill sits next to the op it initializes. Run it right before bufferization: CSE would
    merge the fills again.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "tensor::TensorDialect"];
}

def DSGPUTileContractions : Pass<"ds-gpu-tile-contractions", "func::FuncOp"> {
  let summary = "Matmul-like generics on buffers as shared-memory tiled GPU launches";
  let description = [{
    A `linalg.generic` on buffers whose body is `out + a * b` with one
    reduction dim k, every parallel dim an output dim, the output's last dim
    n, a left-hand side reading m and k (not n) and a right-hand side reading
    k and n (not m), all with static sizes (matmuls, batched matmuls, the
    im2col products of convolutions), becomes one `gpu.launch`: blocks of
    16 x 16 threads, each block a 64 x 64 tile of (m, n) for one index of
    the other output dims (`blockIdx.z`); k in stages of 16, each stage's
    slices of both operands staged in workgroup (shared) memory between two
    `gpu.barrier`s; each thread a 4 x 4 tile of accumulators, rows
    ty + 16i and columns tx + 16j. Every output element still accumulates
    k = 0 .. K-1 in order in the generic's own body, so the results equal
    the untiled kernel's. Edge tiles load clamped indices and replace their
    values by zero, and store under a guard. Other generics are left alone.

    With `tensor-cores`, a product with f32 accumulators and an operand
    widened from f16 in its body (FP16 weights) runs on tensor cores
    instead: both slices staged as f16 (the f32 operand rounded) in
    [row][k] order, each of the block's 8 warps a 16 x 32 piece of the tile
    as four `nvgpu.mma.sync` m16n8k16 products per stage (sm_80 and newer).
    The products are then summed in the tensor cores' order, not k order.

    With `wgmma` too (sm_90a, Hopper), those products are warpgroup MMAs:
    both slices staged as f16 core matrices (8 rows of 16 bytes, no
    swizzle) in one workgroup buffer, each of the block's two warpgroups a
    64 x 32 half of the tile as one `nvvm.wgmma.mma_async` m64n32k16 per
    stage, its operands read by the tensor cores from shared memory through
    matrix descriptors (after a `fence.proxy.async`).

    An operand that a gather (a copying generic: every dim parallel, body
    `yield %in`, identity output map; the im2col of a convolution) wrote
    right before the product, directly or through a `collapse_shape`, is
    loaded from the gather's input at the gather's map instead; gathers
    whose buffers nothing else reads are erased with them.
  }];
  let options = [
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"false",
           "Products of FP16 weights on tensor cores (nvgpu.mma.sync m16n8k16)">,
    Option<"wgmma", "wgmma", "bool", /*default=*/"false",
           "With tensor-cores: warpgroup MMAs (wgmma m64n32k16, sm_90a) instead">
  ];
  let dependentDialects = ["gpu::GPUDialect", "scf::SCFDialect", "arith::ArithDialect",
                           "memref::MemRefDialect", "nvgpu::NVGPUDialect", "affine::AffineDialect",
                           "vector::VectorDialect", "ub::UBDialect", "NVVM::NVVMDialect",
                           "LLVM::LLVMDialect"];
}

def DSGPUReduceRows : Pass<"ds-gpu-reduce-rows", "func::FuncOp"> {
  let summary = "Reductions over the innermost dim as one GPU block per row";
  let description = [{
    A `linalg.generic` on buffers with one reduction dim, its last loop dim,
    at least `min-length` long, static sizes, every operand read at a
    projected permutation, the inputs that read the row reading it
    contiguously, and a body `yield combine(acc, value)` (`combine`: addf,
    mulf, maximumf, minimumf, maxnumf or minnumf; `value` computed from
    the inputs alone) becomes one `gpu.launch` with a block per row (the
    other loop dims from `blockIdx.x`) of up to 256 threads (a power of
    two, at most the row's length): each thread combines the values at
    r = tx, tx + threads, ... from the identity, the threads' shares are
    combined in a tree in workgroup memory (a `gpu.barrier` per level),
    and thread 0 stores combine(initial, total), the initial value being
    that of a `linalg.fill` that sets the output just before (which it
    takes over) or the output's. Sums are then combined in another order
    than the loop's. Other generics are left alone.
  }];
  let options = [
    Option<"minLength", "min-length", "int64_t", /*default=*/"64",
           "Shorter rows keep one thread per row">
  ];
  let dependentDialects = ["gpu::GPUDialect", "scf::SCFDialect", "arith::ArithDialect",
                           "memref::MemRefDialect"];
}

def DSGPUParallelDimsFirst : Pass<"ds-gpu-parallel-dims-first", "func::FuncOp"> {
  let summary = "Put every linalg.generic's parallel dims before its reduction dims";
  let description = [{
    `convert-linalg-to-parallel-loops` makes a parallel loop only of an op's
    leading parallel dims, so a reduction iterating (reduction, parallel)
    (a global average pool over NHWC reduces h and w, keeps c last) would
    be a fully serial loop nest: one GPU thread. This pass interchanges the
    iteration space of such generics (parallel dims first, each group in
    its order; the indexing maps follow), so the parallel dims become the
    launch's threads. Generics whose parallel dims already lead, or that
    have only one kind, are left alone.
  }];
  let dependentDialects = ["linalg::LinalgDialect", "affine::AffineDialect"];
}

def DSCPUFlattenEmptyBuffers : Pass<"ds-cpu-flatten-empty-buffers", "ModuleOp"> {
  let summary = "Give zero-element memref arguments a rank-1 type the bare-pointer ABI accepts";
  let description = [{
    The model function passes every buffer as a bare pointer, which MLIR's
    func-to-LLVM conversion allows only for memrefs with static, identity
    strides; a shape with a zero dimension (`memref<3x0x5xf32>`) has none, and
    the function would stay unconverted. Such arguments become `memref<0xT>`
    and are expanded back to their shape at the function's entry (a view that
    holds no elements), so models with empty inputs or outputs compile.
  }];
  let dependentDialects = ["memref::MemRefDialect"];
}

def DSCPUPlanMemory : Pass<"ds-cpu-plan-memory", "ModuleOp"> {
  let summary = "Place the model function's intermediate buffers in one arena, by liveness";
  let description = [{
    After bufferization, every statically shaped `memref.alloc` at the top
    level of the model function gets a lifetime (from the alloc to the last
    top-level op that uses it or a view of it) and an offset from the greedy
    best-fit planner (`MemoryPlanner.h`); the allocs become `memref.view`s into
    a new last argument, the arena (`memref<Nxi8>`, 64-byte aligned), which
    the entry point passes from `<symbol>_run(buffers, arena)`. No allocation
    is left on the inference path for them. The module records
    `ds.arena_size`, `ds.arena_naive_size` and `ds.arena_lower_bound` (bytes).

    With `poison-lifetimes` (deepseek-compile `--sanitize address`) the
    buffers are not overlapped; instead the function poisons the whole arena
    on entry (`__asan_poison_memory_region`), unpoisons each buffer where its
    lifetime starts, poisons it again after its last use, and unpoisons the
    arena before returning. An AddressSanitizer-instrumented model then
    reports any access outside the lifetimes the plan was computed from, the
    accesses that would read or clobber another buffer in the shared layout.
  }];
  let options = [
    Option<"modelFunction", "model-function", "std::string", "\"main\"",
           "the model function whose intermediates are planned">,
    Option<"poisonLifetimes", "poison-lifetimes", "bool", "false",
           "for AddressSanitizer builds: every buffer at its own offset, and the "
           "arena poisoned except while a buffer is live, so an access outside a "
           "planned lifetime is reported">
  ];
  let dependentDialects = ["memref::MemRefDialect", "arith::ArithDialect",
                           "func::FuncDialect"];
}

def DSCPUParallelize : Pass<"ds-cpu-parallelize", "ModuleOp"> {
  let summary = "Run large top-level scf.parallel loops on the runtime's thread pool";
  let description = [{
    Each outermost `scf.parallel` with at least `min-iterations` scalar
    iterations in its nest (a vectorized body counts its vector's lanes) is
    outlined into a private function over a
    `[begin, end)` range of the iterations of one parallel dim (the first
    with more than one iteration; any constant bounds and step). The loop is replaced by a call to the runtime,
    `dsrt_parallel_for(n, @<body>_tramp, ctx)`, where `ctx` holds the aligned
    pointers of the memrefs the loop reads and writes (views of them are
    re-created inside the body; constants are cloned). `<body>_tramp` is only
    declared here; `ds-cpu-parallel-trampolines` defines it after lowering to
    the LLVM dialect. Loops that capture anything else stay serial. The body
    is named `<function>_par<N>_<node>` after the first named location of the
    loop (the ONNX node the importer named it after, sanitized, its last 40
    characters), so that `perf report` attributes time to model nodes.
  }];
  let options = [
    Option<"minIterations", "min-iterations", "int64_t", "8192",
           "smallest loop nest (in scalar iterations) worth a parallel dispatch "
           "(8192: with the spinning pool, dispatch costs a few microseconds; "
           "MobileNetV3 and SqueezeNet ran 4-9% faster on two threads than at 65536)">
  ];
  let dependentDialects = ["func::FuncDialect", "memref::MemRefDialect",
                           "scf::SCFDialect", "arith::ArithDialect"];
}

def DSCPUParallelTrampolines : Pass<"ds-cpu-parallel-trampolines", "ModuleOp"> {
  let summary = "Define the trampolines that ds-cpu-parallelize declared";
  let description = [{
    For every declared `llvm.func @<body>_tramp(ptr ctx, i64 begin, i64 end)`
    whose `@<body>` is defined (bare-pointer convention: one `ptr` per captured
    memref, then begin and end), adds the body: load the pointers from `ctx` and
    call `@<body>`. This is the `void (*)(void *, int64_t, int64_t)` that
    `dsrt_parallel_for` calls on each thread.
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

def DSCPUEntryPoint : Pass<"ds-cpu-entry-point", "ModuleOp"> {
  let summary = "Add the packed entry point a compiled model is called through";
  let description = [{
    After lowering to the LLVM dialect with the bare-pointer calling convention,
    the model function `@main` takes one pointer per input and output. This pass
    adds `void <symbol>_run(ptr buffers, ptr arena)` which loads the pointers from
    the `buffers` array (inputs, then outputs) and calls `@main`: the one
    signature the runtime's model descriptor names, whatever the model's arity.
    The model function itself becomes internal (`<symbol>_main`), so several
    models and a C `main` can be linked into one program. When the module has
    a planned arena (`ds.arena_size`), the model function's last pointer is
    the arena and receives `arena`.
  }];
  let options = [
    Option<"symbol", "symbol", "std::string", "\"model\"",
           "prefix of the generated entry point (<symbol>_run)">,
    Option<"modelFunction", "model-function", "std::string", "\"main\"",
           "the lowered model function; renamed <symbol>_main and made internal">
  ];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// NVIDIA GPU code generation (lib/Codegen/GPU*.cpp); GPUPipeline.cpp chains
// them with MLIR's gpu/nvvm passes.
//===----------------------------------------------------------------------===//

def DSGPUMapParallelLoops : Pass<"ds-gpu-map-parallel-loops", "func::FuncOp"> {
  let summary = "Map each outermost scf.parallel onto CUDA blocks of threads";
  let description = [{
    The loop nests linalg lowers to (one scf.parallel over an op's parallel
    dims, serial scf.for for its reductions) become one kernel launch each:
    all parallel dims are collapsed into one (consecutive iterations are
    neighbouring elements of the innermost dim, so neighbouring threads
    touch neighbouring addresses), which is tiled by `block-size` threads
    (fewer when the loop is shorter) and mapped to blocks x threads with the
    gpu dialect's mapping attributes; a partial last block is guarded by an
    `scf.if`. Nested parallel loops become serial `scf.for` nests in their
    thread.
    A top-level `memref.copy` between dense buffers (identity layouts)
    becomes a device-to-device `gpu.memcpy` on the run's stream.
    Other work outside any parallel loop that touches memory (a loop nest linalg
    left serial because it has no parallel dim, such as a softmax's sum over
    all elements, or a scalar store) first becomes a one-iteration parallel
    loop: one thread on the device, so the host never dereferences the
    device's buffers; such an op whose results the host uses is an error.
    `convert-parallel-loops-to-gpu` then turns the mapped loops into
    `gpu.launch`.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
  ];
  let dependentDialects = ["gpu::GPUDialect", "scf::SCFDialect", "arith::ArithDialect",
                           "affine::AffineDialect"];
}

def DSGPUHostBuffers : Pass<"ds-gpu-host-buffers", "ModuleOp"> {
  let summary = "Give the kernels the model instance's device buffers for its inputs, outputs, arena and weights";
  let description = [{
    After kernel outlining, the model function's launches still take host
    memory. Each input, output and arena argument and each weight global
    gets a device twin the launches use instead: a call
    `dsrt_cuda_buffer(slot, slots, bytes, host)` that returns the running
    model instance's buffer for that slot, allocated on its first run (and,
    for a weight, uploaded from `host` then) and kept until the instance is
    closed. Inputs are copied in (`gpu.memcpy`) at the start of every run
    and outputs copied out before each return. Arguments [0, num-inputs)
    are inputs, the rest outputs, except a trailing arena when the module
    has `ds.arena_size`. Host code that would touch a device buffer other
    than through launches, copies and views is an error. `gpu-async-region`
    then chains everything on the run's stream.
  }];
  let options = [
    Option<"numInputs", "num-inputs", "int64_t", /*default=*/"0",
           "How many leading arguments are the model's inputs">,
  ];
  let dependentDialects = ["arith::ArithDialect", "gpu::GPUDialect", "LLVM::LLVMDialect",
                           "memref::MemRefDialect"];
}

def DSGPUMergeKernelModules : Pass<"ds-gpu-merge-kernel-modules", "ModuleOp"> {
  let summary = "Gather the outlined kernels into one gpu.module with unique names";
  let description = [{
    `gpu-kernel-outlining` puts each kernel in a gpu.module of its own, all
    named after the function they came from (`main_kernel` in
    `@main_kernel`, `@main_kernel_0`, ...). One PTX module per model is what
    the runtime loads, so this pass moves every kernel into
    `gpu.module @<symbol>_kernels` as `<symbol>_k<N>` (N in launch order)
    and points each `gpu.launch_func` at its new name.
  }];
  let options = [
    Option<"symbol", "symbol", "std::string", "\"model\"",
           "prefix of the kernel module and kernel names">,
  ];
  let dependentDialects = ["gpu::GPUDialect"];
}

def DSGPUAlignWorkgroupBuffers : Pass<"ds-gpu-align-workgroup-buffers", "gpu::GPUModuleOp"> {
  let summary = "Align every kernel's workgroup (shared-memory) buffers to 16 bytes";
  let description = [{
    `convert-gpu-to-nvvm` gives a workgroup attribution its element type's
    alignment (2 bytes for f16) unless the attribution carries `llvm.align`.
    wgmma's matrix descriptors address shared memory in 16-byte units
    (they drop an address's low 4 bits), so a buffer they read must start
    on a 16-byte boundary. This pass sets `llvm.align` to 16 on every
    workgroup attribution of every `gpu.func` in the module that has less.
  }];
  let dependentDialects = ["gpu::GPUDialect", "LLVM::LLVMDialect"];
}

def DSGPUApproximateMath : Pass<"ds-gpu-approximate-math", "func::FuncOp"> {
  let summary = "Rewrite math functions into arithmetic for GPU kernels (no libm, no libdevice)";
  let description = [{
    GPU kernels have no libm, and deepseek's PTX does not link NVIDIA's
    libdevice (a CUDA toolkit file). Before the kernels are formed, every
    math function upstream can express in arithmetic is: asinh, acosh,
    atanh, sinh, cosh, tan, powf, ... by `math::populateExpansionPatterns`
    (into exp, log, sqrt), then exp, expm1, log, log1p, log2, sin, cos,
    atan, atan2, asin, acos, cbrt, erf and tanh by the polynomial
    approximations (`populateMathPolynomialApproximationPatterns`, the
    erf/tanh patterns). rsqrt becomes 1 / sqrt (exact in PTX, unlike the
    approximation). What is left maps onto exact PTX instructions
    (ds-gpu-math-to-intrinsics).
  }];
  let dependentDialects = ["arith::ArithDialect", "math::MathDialect",
                           "vector::VectorDialect"];
}

def DSGPUMathToIntrinsics : Pass<"ds-gpu-math-to-intrinsics", "gpu::GPUModuleOp"> {
  let summary = "Replace libdevice calls by the LLVM intrinsics of exact PTX instructions";
  let description = [{
    After `convert-gpu-to-nvvm`, math ops without an NVVM op are calls of
    libdevice (`__nv_fmaf`, `__nv_floorf`, `__nv_rsqrtf`, ...), a bitcode
    library only the CUDA toolkit has. deepseek's PTX does not link it:
    fma, floor, ceil, trunc, rint/nearbyint, round, fabs, sqrt, fmin, fmax
    and copysign (f32 and f64) become the LLVM intrinsics NVPTX selects
    exact instructions for (`fma.rn`, `cvt.rmi`, `sqrt.rn`, ...), rsqrt
    becomes 1 / sqrt (correctly rounded, unlike libdevice's), fmod LLVM's
    `frem` (x - trunc(x / y) * y: exact while the quotient is below 2^24);
    a call of any other libdevice function (f64 exp and log, for which no
    approximation exists yet) is an error naming it.
  }];
  let dependentDialects = ["LLVM::LLVMDialect"];
}

#endif // DEEPSEEK_PASSES_TD
