; Linked into every emulated kernel library (scripts/gpu_emulate.py): the
; warp-wide tensor-core intrinsics, whose LLVM signatures (vectors of half
; in, a struct of floats out) no C function has. Each passes its lane's
; fragments by pointer to emulated_kernel_support.c, which gathers the
; warp's fragments and returns this lane's part of the product.

declare void @dsemu_mma_m16n8k16_f32_f16(ptr, ptr, ptr, ptr)

; mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32: D = A (16 x 16, f16)
; x B (16 x 8, f16) + C (f32); a lane's A is 4 x 2 halves, B 2 x 2, C and
; D 4 floats.
define { float, float, float, float } @dsemu_nvvm_mma_m16n8k16_row_col_f32_f32(
    <2 x half> %a0, <2 x half> %a1, <2 x half> %a2, <2 x half> %a3,
    <2 x half> %b0, <2 x half> %b1, float %c0, float %c1, float %c2, float %c3) {
  %a = alloca [4 x <2 x half>]
  %b = alloca [2 x <2 x half>]
  %c = alloca [4 x float]
  %d = alloca [4 x float]
  %a.1 = getelementptr <2 x half>, ptr %a, i64 1
  %a.2 = getelementptr <2 x half>, ptr %a, i64 2
  %a.3 = getelementptr <2 x half>, ptr %a, i64 3
  store <2 x half> %a0, ptr %a
  store <2 x half> %a1, ptr %a.1
  store <2 x half> %a2, ptr %a.2
  store <2 x half> %a3, ptr %a.3
  %b.1 = getelementptr <2 x half>, ptr %b, i64 1
  store <2 x half> %b0, ptr %b
  store <2 x half> %b1, ptr %b.1
  %c.1 = getelementptr float, ptr %c, i64 1
  %c.2 = getelementptr float, ptr %c, i64 2
  %c.3 = getelementptr float, ptr %c, i64 3
  store float %c0, ptr %c
  store float %c1, ptr %c.1
  store float %c2, ptr %c.2
  store float %c3, ptr %c.3
  call void @dsemu_mma_m16n8k16_f32_f16(ptr %a, ptr %b, ptr %c, ptr %d)
  %d.1 = getelementptr float, ptr %d, i64 1
  %d.2 = getelementptr float, ptr %d, i64 2
  %d.3 = getelementptr float, ptr %d, i64 3
  %d0 = load float, ptr %d
  %d1 = load float, ptr %d.1
  %d2 = load float, ptr %d.2
  %d3 = load float, ptr %d.3
  %r0 = insertvalue { float, float, float, float } poison, float %d0, 0
  %r1 = insertvalue { float, float, float, float } %r0, float %d1, 1
  %r2 = insertvalue { float, float, float, float } %r1, float %d2, 2
  %r3 = insertvalue { float, float, float, float } %r2, float %d3, 3
  ret { float, float, float, float } %r3
}
