// Copies for slice, concat and flip.

/**
 * Copies a box of `rank` axes from `source` to `target`. At `layout` are
 * `rank` i32 sizes, then the element strides of the source, then those of
 * the target, then `rank` i32 of room for the loop index. Strides may be
 * negative (flip). When `contiguous` is set, the last axis has stride 1 in
 * both and each row is one memory.copy.
 */
export function copy_box(source: usize, target: usize, rank: i32, layout: usize, contiguous: i32): void {
  const sizes = layout;
  const sourceStrides = layout + (<usize>rank << 2);
  const targetStrides = layout + (<usize>rank << 3);
  const index = layout + <usize>rank * 12;
  const last = <usize>(rank - 1) << 2;
  const inner = load<i32>(sizes + last);
  const innerSource = load<i32>(sourceStrides + last);
  const innerTarget = load<i32>(targetStrides + last);

  let rows = 1;
  for (let axis = 0; axis < rank - 1; axis++) {
    rows *= load<i32>(sizes + (<usize>axis << 2));
    store<i32>(index + (<usize>axis << 2), 0);
  }

  let from = 0;
  let to = 0;
  for (let row = 0; row < rows; row++) {
    if (contiguous) {
      memory.copy(target + (<usize>to << 2), source + (<usize>from << 2), <usize>inner << 2);
    } else {
      for (let i = 0; i < inner; i++) {
        store<f32>(target + (<usize>(to + i * innerTarget) << 2), load<f32>(source + (<usize>(from + i * innerSource) << 2)));
      }
    }

    // Advance the row index like an odometer, carrying into outer axes.
    for (let axis = rank - 2; axis >= 0; axis--) {
      const at = <usize>axis << 2;
      const position = load<i32>(index + at) + 1;
      from += load<i32>(sourceStrides + at);
      to += load<i32>(targetStrides + at);
      if (position < load<i32>(sizes + at)) {
        store<i32>(index + at, position);
        break;
      }
      from -= position * load<i32>(sourceStrides + at);
      to -= position * load<i32>(targetStrides + at);
      store<i32>(index + at, 0);
    }
  }
}

/** Reverses each of `rows` rows of `length` floats: out[r, i] = x[r, length - 1 - i]. */
export function reverse_rows(x: usize, out: usize, rows: i32, length: i32): void {
  for (let r = 0; r < rows; r++) {
    const source = x + ((<usize>r * length) << 2);
    const target = out + ((<usize>r * length) << 2);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      // Output floats i .. i+3 are input floats length-4-i .. length-1-i in reverse order.
      for (; i + 4 <= length; i += 4) {
        const v = v128.load(source + (<usize>(length - 4 - i) << 2));
        v128.store(target + (<usize>i << 2), i32x4.shuffle(v, v, 3, 2, 1, 0));
      }
    }
    for (; i < length; i++) store<f32>(target + (<usize>i << 2), load<f32>(source + (<usize>(length - 1 - i) << 2)));
  }
}
