; Linked into every emulated kernel library (scripts/gpu_emulate.py): the
; warp-wide tensor-core intrinsics and the warpgroup MMA's inline PTX, whose
; LLVM signatures (vectors of half in, a struct of floats out) no C function
; has. Each passes its operands by pointer to emulated_kernel_support.c, which
; returns this thread's part of the product.

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

declare void @dsemu_wgmma_m64n32k16_f32_f16(ptr, i64, i64, i32, i32, i32, i32, i32)

; wgmma.mma_async.sync.aligned.m64n32k16.f32.f16.f16 (MLIR's nvvm.wgmma.mma_async
; is inline PTX: gpu_emulate.py makes that call a call of this): D = A (64 x 16,
; f16, shared memory) x B (16 x 32, the same) + D, for one thread of the
; warpgroup; its 16 accumulators in and out, the two matrix descriptors, then
; scale-d, imm-scale-a, imm-scale-b, imm-trans-a and imm-trans-b.
define { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } @dsemu_wgmma_m64n32k16_f32_f16_asm(
    float %c0, float %c1, float %c2, float %c3, float %c4, float %c5, float %c6, float %c7, float %c8, float %c9, float %c10, float %c11, float %c12, float %c13, float %c14, float %c15,
    i64 %desc.a, i64 %desc.b, i32 %scale.d, i32 %scale.a, i32 %scale.b, i32 %trans.a,
    i32 %trans.b) {
  %d = alloca [16 x float]
  %d.p0 = getelementptr float, ptr %d, i64 0
  store float %c0, ptr %d.p0
  %d.p1 = getelementptr float, ptr %d, i64 1
  store float %c1, ptr %d.p1
  %d.p2 = getelementptr float, ptr %d, i64 2
  store float %c2, ptr %d.p2
  %d.p3 = getelementptr float, ptr %d, i64 3
  store float %c3, ptr %d.p3
  %d.p4 = getelementptr float, ptr %d, i64 4
  store float %c4, ptr %d.p4
  %d.p5 = getelementptr float, ptr %d, i64 5
  store float %c5, ptr %d.p5
  %d.p6 = getelementptr float, ptr %d, i64 6
  store float %c6, ptr %d.p6
  %d.p7 = getelementptr float, ptr %d, i64 7
  store float %c7, ptr %d.p7
  %d.p8 = getelementptr float, ptr %d, i64 8
  store float %c8, ptr %d.p8
  %d.p9 = getelementptr float, ptr %d, i64 9
  store float %c9, ptr %d.p9
  %d.p10 = getelementptr float, ptr %d, i64 10
  store float %c10, ptr %d.p10
  %d.p11 = getelementptr float, ptr %d, i64 11
  store float %c11, ptr %d.p11
  %d.p12 = getelementptr float, ptr %d, i64 12
  store float %c12, ptr %d.p12
  %d.p13 = getelementptr float, ptr %d, i64 13
  store float %c13, ptr %d.p13
  %d.p14 = getelementptr float, ptr %d, i64 14
  store float %c14, ptr %d.p14
  %d.p15 = getelementptr float, ptr %d, i64 15
  store float %c15, ptr %d.p15
  call void @dsemu_wgmma_m64n32k16_f32_f16(ptr %d, i64 %desc.a, i64 %desc.b, i32 %scale.d,
      i32 %scale.a, i32 %scale.b, i32 %trans.a, i32 %trans.b)
  %v0 = load float, ptr %d.p0
  %r0 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } poison, float %v0, 0
  %v1 = load float, ptr %d.p1
  %r1 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r0, float %v1, 1
  %v2 = load float, ptr %d.p2
  %r2 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r1, float %v2, 2
  %v3 = load float, ptr %d.p3
  %r3 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r2, float %v3, 3
  %v4 = load float, ptr %d.p4
  %r4 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r3, float %v4, 4
  %v5 = load float, ptr %d.p5
  %r5 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r4, float %v5, 5
  %v6 = load float, ptr %d.p6
  %r6 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r5, float %v6, 6
  %v7 = load float, ptr %d.p7
  %r7 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r6, float %v7, 7
  %v8 = load float, ptr %d.p8
  %r8 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r7, float %v8, 8
  %v9 = load float, ptr %d.p9
  %r9 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r8, float %v9, 9
  %v10 = load float, ptr %d.p10
  %r10 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r9, float %v10, 10
  %v11 = load float, ptr %d.p11
  %r11 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r10, float %v11, 11
  %v12 = load float, ptr %d.p12
  %r12 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r11, float %v12, 12
  %v13 = load float, ptr %d.p13
  %r13 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r12, float %v13, 13
  %v14 = load float, ptr %d.p14
  %r14 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r13, float %v14, 14
  %v15 = load float, ptr %d.p15
  %r15 = insertvalue { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r14, float %v15, 15
  ret { float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float } %r15
}
