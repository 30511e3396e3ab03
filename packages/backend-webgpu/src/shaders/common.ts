/** Invocations per workgroup of the one-dimensional kernels (within compatibility mode's 128). */
export const WORKGROUP_SIZE = 64;

/**
 * WGSL for the flat index of an invocation in a one-dimensional kernel. A
 * dispatch has at most maxComputeWorkgroupsPerDimension workgroups along x,
 * so large counts continue along y; `params.groupsX` is the x count.
 */
export const FLAT_INDEX = /* wgsl */ `
fn flatIndex(id: vec3<u32>) -> u32 {
  return id.x + id.y * params.groupsX * ${WORKGROUP_SIZE}u;
}`;

/**
 * WGSL activation functions shared by the element-wise kernels and the
 * selective scan.
 *
 * - sigmoid evaluates exp of a non-positive argument only, so it never
 *   overflows: 1 / (1 + exp(-x)) for x >= 0, exp(x) / (1 + exp(x)) below.
 * - softplus follows PyTorch (beta 1, threshold 20): x above 20, else
 *   log(1 + exp(x)). WGSL has no log1p, and log(1 + e) loses e entirely
 *   once e is below float32's epsilon, so for e = exp(x) < 1e-3 the series
 *   e - e^2/2 + e^3/3 is used, whose next term is below float32 rounding.
 */
export const ACTIVATIONS = /* wgsl */ `
fn sigmoidOf(x: f32) -> f32 {
  if (x >= 0.0) {
    return 1.0 / (1.0 + exp(-x));
  }
  let e = exp(x);
  return e / (1.0 + e);
}

fn softplusOf(x: f32) -> f32 {
  if (x > 20.0) {
    return x;
  }
  let e = exp(x);
  if (e < 1e-3) {
    return e * (1.0 - e * (0.5 - e / 3.0));
  }
  return log(1.0 + e);
}`;
