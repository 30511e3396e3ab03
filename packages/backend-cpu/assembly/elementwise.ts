import { sigmoidScalar, sigmoidVector, softplusScalar, softplusVector } from './vector-math';

// Element-wise kernels. Every allocation has at least 16 bytes of slack past
// its last float (see the allocator), so unary loops run whole vectors and
// may write up to 3 floats past the end.

export const OP_ADD: i32 = 0;
export const OP_MUL: i32 = 1;

export const OP_RELU: i32 = 0;
export const OP_SILU: i32 = 1;
export const OP_SIGMOID: i32 = 2;
export const OP_SOFTPLUS: i32 = 3;

/**
 * out = a (op) b with broadcasting, described after collapsing axes: at
 * `layout` are `rank` i32 sizes, then the element strides of a, then those
 * of b (0 on broadcast axes), then `rank` i32 of room for the loop index.
 * The last axis has stride 0 or 1 in each operand, and out is contiguous.
 */
export function binary(op: i32, a: usize, b: usize, out: usize, rank: i32, layout: usize): void {
  const sizes = layout;
  const stridesA = layout + (<usize>rank << 2);
  const stridesB = layout + (<usize>rank << 3);
  const index = layout + <usize>rank * 12;
  const last = <usize>(rank - 1) << 2;
  const inner = load<i32>(sizes + last);
  const innerA = load<i32>(stridesA + last);
  const innerB = load<i32>(stridesB + last);

  let rows = 1;
  for (let axis = 0; axis < rank - 1; axis++) {
    rows *= load<i32>(sizes + (<usize>axis << 2));
    store<i32>(index + (<usize>axis << 2), 0);
  }

  let offsetA = 0;
  let offsetB = 0;
  let target = out;
  for (let row = 0; row < rows; row++) {
    const left = a + (<usize>offsetA << 2);
    const right = b + (<usize>offsetB << 2);
    if (op == OP_ADD) binaryRow(OP_ADD, left, right, target, inner, innerA, innerB);
    else binaryRow(OP_MUL, left, right, target, inner, innerA, innerB);
    target += <usize>inner << 2;

    // Advance the row index like an odometer, carrying into outer axes.
    for (let axis = rank - 2; axis >= 0; axis--) {
      const at = <usize>axis << 2;
      const position = load<i32>(index + at) + 1;
      offsetA += load<i32>(stridesA + at);
      offsetB += load<i32>(stridesB + at);
      if (position < load<i32>(sizes + at)) {
        store<i32>(index + at, position);
        break;
      }
      offsetA -= position * load<i32>(stridesA + at);
      offsetB -= position * load<i32>(stridesB + at);
      store<i32>(index + at, 0);
    }
  }
}

// @ts-ignore: decorator
@inline
function combine(op: i32, x: f32, y: f32): f32 {
  return op == OP_ADD ? x + y : x * y;
}

// @ts-ignore: decorator
@inline
function combineVector(op: i32, x: v128, y: v128): v128 {
  return op == OP_ADD ? f32x4.add(x, y) : f32x4.mul(x, y);
}

/** One row of `count` outputs; each operand steps 1 float (stride 1) or repeats one value (stride 0). */
// @ts-ignore: decorator
@inline
function binaryRow(op: i32, a: usize, b: usize, out: usize, count: i32, strideA: i32, strideB: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (strideA == 1 && strideB == 1) {
      for (; i + 4 <= count; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, combineVector(op, v128.load(a + at), v128.load(b + at)));
      }
    } else if (strideA == 1) {
      const right = v128.load32_splat(b);
      for (; i + 4 <= count; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, combineVector(op, v128.load(a + at), right));
      }
    } else if (strideB == 1) {
      const left = v128.load32_splat(a);
      for (; i + 4 <= count; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, combineVector(op, left, v128.load(b + at)));
      }
    }
  }
  for (; i < count; i++) {
    const x = load<f32>(a + ((<usize>(i * strideA)) << 2));
    const y = load<f32>(b + ((<usize>(i * strideB)) << 2));
    store<f32>(out + (<usize>i << 2), combine(op, x, y));
  }
}

/** out[i] = f(x[i]) for i < count, with f one of relu, silu, sigmoid, softplus. */
export function unary(op: i32, x: usize, out: usize, count: i32): void {
  if (ASC_FEATURE_SIMD) {
    if (op == OP_RELU) unaryVectors(OP_RELU, x, out, count);
    else if (op == OP_SILU) unaryVectors(OP_SILU, x, out, count);
    else if (op == OP_SIGMOID) unaryVectors(OP_SIGMOID, x, out, count);
    else unaryVectors(OP_SOFTPLUS, x, out, count);
  } else {
    for (let i = 0; i < count; i++) {
      const at = <usize>i << 2;
      const value = load<f32>(x + at);
      let result: f32;
      if (op == OP_RELU) result = value < 0 ? 0 : value;
      else if (op == OP_SILU) result = value * sigmoidScalar(value);
      else if (op == OP_SIGMOID) result = sigmoidScalar(value);
      else result = softplusScalar(value);
      store<f32>(out + at, result);
    }
  }
}

// @ts-ignore: decorator
@inline
function unaryVectors(op: i32, x: usize, out: usize, count: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < count; i += 4) {
    const at = <usize>i << 2;
    const value = v128.load(x + at);
    let result: v128;
    // pmax (value < 0 ? 0 : value) keeps NaN, as PyTorch's relu does.
    if (op == OP_RELU) result = f32x4.pmax(value, zero);
    else if (op == OP_SILU) result = f32x4.mul(value, sigmoidVector(value));
    else if (op == OP_SIGMOID) result = sigmoidVector(value);
    else result = softplusVector(value);
    v128.store(out + at, result);
  }
}
