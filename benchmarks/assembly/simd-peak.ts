// The kernel of the SIMD peak probe: twelve independent chains of
// a = a * m + c on f32x4 vectors. The chains hide the latency of the
// multiply and the add, which stay two instructions because WebAssembly
// SIMD128 has no fused multiply-add without the relaxed-SIMD proposal.
// Twelve chains plus m and c take 14 vector registers, fewer than the 16
// of x86-64 SSE, so nothing needs to spill to memory.

/** Chains in the loop body. */
const CHAINS: i32 = 12;
/** Copies of the chain step per loop iteration, so that the loop counter costs little. */
const UNROLL: i32 = 2;
/** Lanes of an f32x4 vector. */
const LANES: i32 = 4;

// @ts-ignore: decorator
@inline
function step(a: v128, m: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, m), c);
}

/** FLOPs of one loop iteration of mul_add_chains, counting the multiply and the add as one FLOP per lane each. */
export function flops_per_iteration(): i32 {
  return UNROLL * CHAINS * LANES * 2;
}

/**
 * Runs `iterations` loop iterations and returns the sum of the lanes, so
 * that the optimiser cannot drop the work. With 0 < scale < 1 every chain
 * converges to offset / (1 - scale), which keeps the values normal (no
 * denormals, which would slow some CPUs down).
 */
export function mul_add_chains(iterations: i32, scale: f32, offset: f32): f32 {
  const m = f32x4.splat(scale);
  const c = f32x4.splat(offset);
  let a0 = f32x4.splat(0.0);
  let a1 = f32x4.splat(0.1);
  let a2 = f32x4.splat(0.2);
  let a3 = f32x4.splat(0.3);
  let a4 = f32x4.splat(0.4);
  let a5 = f32x4.splat(0.5);
  let a6 = f32x4.splat(0.6);
  let a7 = f32x4.splat(0.7);
  let a8 = f32x4.splat(0.8);
  let a9 = f32x4.splat(0.9);
  let a10 = f32x4.splat(1.0);
  let a11 = f32x4.splat(1.1);

  for (let i = 0; i < iterations; i++) {
    a0 = step(a0, m, c);
    a1 = step(a1, m, c);
    a2 = step(a2, m, c);
    a3 = step(a3, m, c);
    a4 = step(a4, m, c);
    a5 = step(a5, m, c);
    a6 = step(a6, m, c);
    a7 = step(a7, m, c);
    a8 = step(a8, m, c);
    a9 = step(a9, m, c);
    a10 = step(a10, m, c);
    a11 = step(a11, m, c);

    a0 = step(a0, m, c);
    a1 = step(a1, m, c);
    a2 = step(a2, m, c);
    a3 = step(a3, m, c);
    a4 = step(a4, m, c);
    a5 = step(a5, m, c);
    a6 = step(a6, m, c);
    a7 = step(a7, m, c);
    a8 = step(a8, m, c);
    a9 = step(a9, m, c);
    a10 = step(a10, m, c);
    a11 = step(a11, m, c);
  }

  const low = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  const high = f32x4.add(f32x4.add(f32x4.add(a6, a7), f32x4.add(a8, a9)), f32x4.add(a10, a11));
  const sum = f32x4.add(low, high);
  return f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3);
}
