// Which shared-memory layout does wgmma read? A probe for scripts/gpu-check.sh.
//
// The tensor-core schedule for sm_90 (ds-gpu-tile-contractions{wgmma}) stages
// both operands in shared memory without swizzling and hands wgmma a matrix
// descriptor for each. The PTX ISA describes the no-swizzle ("interleave")
// layout as 8x8 core matrices (8 rows of 16 bytes, contiguous) and the
// descriptor's two offsets as the byte distance between core matrices
// adjacent in K (leading) and in M or N (stride). No machine that builds the
// compiler has a Hopper GPU, and the emulator (test/GPUEmulator) reads
// descriptors the way the compiler writes them, so only this probe can catch
// a misreading: it runs one warpgroup's m64n32k16 product (two of them,
// chained, to check accumulation) on each of a few layouts, with the offsets
// as documented and swapped, and compares with the CPU.
//
// Build and run (sm_90 only): nvcc -arch=sm_90a -o probe wgmma_layout_probe.cu && ./probe
// Prints one line per case; exits 1 unless exactly the documented reading
// matches on every layout.
#include <cuda_fp16.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr int kM = 64, kN = 32, kK = 32;  // two k16 steps

// Byte offset of element (row, k) of a [rows x kK] K-major operand stored as
// core matrices: rowGroupBytes between groups of 8 rows, kGroupBytes between
// groups of 8 k.
__host__ __device__ int coreOffset(int row, int k, int rowGroupBytes, int kGroupBytes) {
  return (row / 8) * rowGroupBytes + (k / 8) * kGroupBytes + (row % 8) * 16 + (k % 8) * 2;
}

__device__ uint64_t descriptor(const void *smem, int leadingBytes, int strideBytes) {
  uint32_t address = static_cast<uint32_t>(__cvta_generic_to_shared(smem));
  uint64_t desc = (address & 0x3FFFF) >> 4;
  desc |= static_cast<uint64_t>((leadingBytes >> 4) & 0x3FFF) << 16;
  desc |= static_cast<uint64_t>((strideBytes >> 4) & 0x3FFF) << 32;
  return desc;  // base offset 0, swizzle mode 0 (none)
}

struct Layout {
  int aRowGroup, aKGroup, bRowGroup, bKGroup;
};

// d[m][n] = sum_k a[m][k] * b[n][k]; swapOffsets puts the K distance in the
// stride field and the row distance in the leading field.
__global__ void product(const half *a, const half *b, float *d, Layout layout, bool swapOffsets) {
  __shared__ alignas(128) unsigned char aTile[kM * kK * 2];
  __shared__ alignas(128) unsigned char bTile[kN * kK * 2];
  int t = threadIdx.x;
  for (int i = t; i < kM * kK; i += blockDim.x) {
    int row = i / kK, k = i % kK;
    *reinterpret_cast<half *>(aTile + coreOffset(row, k, layout.aRowGroup, layout.aKGroup)) = a[i];
  }
  for (int i = t; i < kN * kK; i += blockDim.x) {
    int row = i / kK, k = i % kK;
    *reinterpret_cast<half *>(bTile + coreOffset(row, k, layout.bRowGroup, layout.bKGroup)) = b[i];
  }
  // Ordinary stores are the generic proxy; wgmma reads through the async one.
  asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
  __syncthreads();
  float acc[16];
  for (float &v : acc) v = 0.f;
  asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
  for (int step = 0; step < kK / 16; ++step) {
    // The next 16 k are two core matrices further along K.
    int aLead = swapOffsets ? layout.aRowGroup : layout.aKGroup;
    int aStride = swapOffsets ? layout.aKGroup : layout.aRowGroup;
    int bLead = swapOffsets ? layout.bRowGroup : layout.bKGroup;
    int bStride = swapOffsets ? layout.bKGroup : layout.bRowGroup;
    uint64_t descA = descriptor(aTile + 2 * step * layout.aKGroup, aLead, aStride);
    uint64_t descB = descriptor(bTile + 2 * step * layout.bKGroup, bLead, bStride);
    int scaleD = step > 0;
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %18, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n32k16.f32.f16.f16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15}, "
        "%16, %17, p, 1, 1, 0, 0;\n}\n"
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3]), "+f"(acc[4]), "+f"(acc[5]),
          "+f"(acc[6]), "+f"(acc[7]), "+f"(acc[8]), "+f"(acc[9]), "+f"(acc[10]), "+f"(acc[11]),
          "+f"(acc[12]), "+f"(acc[13]), "+f"(acc[14]), "+f"(acc[15])
        : "l"(descA), "l"(descB), "r"(scaleD));
  }
  asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
  asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
  // The accumulator layout of m64nNk16: warp w owns rows 16w..16w+15; value
  // i of lane l sits at row 16w + l/4 + 8*((i/2)%2), column 8*(i/4) + 2*(l%4) + i%2.
  int warp = t / 32, lane = t % 32;
  for (int i = 0; i < 16; ++i) {
    int row = 16 * warp + lane / 4 + 8 * ((i / 2) % 2);
    int col = 8 * (i / 4) + 2 * (lane % 4) + i % 2;
    d[row * kN + col] = acc[i];
  }
}

}  // namespace

int main() {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("wgmma probe: no CUDA device\n");
    return 1;
  }
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  if (prop.major != 9) {
    std::printf("wgmma probe: %s is sm_%d%d, wgmma needs sm_90\n", prop.name, prop.major, prop.minor);
    return 1;
  }
  half ha[kM * kK], hb[kN * kK];
  float fa[kM * kK], fb[kN * kK];
  srand(7);
  for (int i = 0; i < kM * kK; ++i) fa[i] = __half2float(ha[i] = __float2half((rand() % 17 - 8) / 8.f));
  for (int i = 0; i < kN * kK; ++i) fb[i] = __half2float(hb[i] = __float2half((rand() % 17 - 8) / 8.f));
  float ref[kM * kN];
  for (int m = 0; m < kM; ++m)
    for (int n = 0; n < kN; ++n) {
      float s = 0;
      for (int k = 0; k < kK; ++k) s += fa[m * kK + k] * fb[n * kK + k];
      ref[m * kN + n] = s;
    }
  half *da, *db;
  float *dd;
  cudaMalloc(&da, sizeof ha);
  cudaMalloc(&db, sizeof hb);
  cudaMalloc(&dd, sizeof ref);
  cudaMemcpy(da, ha, sizeof ha, cudaMemcpyHostToDevice);
  cudaMemcpy(db, hb, sizeof hb, cudaMemcpyHostToDevice);
  // {aRowGroup, aKGroup, bRowGroup, bKGroup} in bytes. The first is what the
  // compiler emits: each row group's K core matrices adjacent.
  struct Case {
    const char *name;
    Layout layout;
  } cases[] = {
      {"row groups outer, k groups inner", {kK / 8 * 128, 128, kK / 8 * 128, 128}},
      {"k groups outer, row groups inner", {128, kM / 8 * 128, 128, kN / 8 * 128}},
  };
  bool documentedAlwaysRight = true, swappedEverRight = false;
  for (const Case &c : cases) {
    for (int swap = 0; swap < 2; ++swap) {
      float got[kM * kN];
      cudaMemset(dd, 0xff, sizeof got);
      product<<<1, 128>>>(da, db, dd, c.layout, swap);
      cudaError_t err = cudaDeviceSynchronize();
      cudaMemcpy(got, dd, sizeof got, cudaMemcpyDeviceToHost);
      double worst = 0;
      for (int i = 0; i < kM * kN; ++i) worst = std::fmax(worst, std::fabs(got[i] - ref[i]));
      bool right = err == cudaSuccess && worst < 1e-3;
      std::printf("wgmma probe: %s, offsets %s: %s (max |diff| %.3g%s%s)\n", c.name,
                  swap ? "swapped" : "as documented", right ? "MATCHES" : "differs", worst,
                  err == cudaSuccess ? "" : ", ", err == cudaSuccess ? "" : cudaGetErrorString(err));
      if (swap) swappedEverRight |= right;
      else documentedAlwaysRight &= right;
      if (err != cudaSuccess) return 1;
    }
  }
  std::printf("wgmma probe: %s\n", documentedAlwaysRight && !swappedEverRight
                                       ? "leading = K distance, stride = M/N distance, as documented"
                                       : "the descriptor reading differs from the documented one");
  return documentedAlwaysRight && !swappedEverRight ? 0 : 1;
}
