import { conv2d, depthwiseConv2d, linear, tidy, type Tensor } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make, maxAbsDifference, pseudoRandom } from './helpers.js';

/** Grouped cross-correlation straight from its definition, with an explicit bounds check per tap. */
function directConv2d(
  x: Float32Array,
  [batch, inChannels, height, width]: number[],
  w: Float32Array,
  [outChannels, groupIn, kh, kw]: number[],
  [strideY, strideX]: number[],
  [top, , left]: number[],
  [outHeight, outWidth]: number[],
): number[] {
  const groupOut = outChannels / (inChannels / groupIn);
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let co = 0; co < outChannels; co++) {
      for (let oy = 0; oy < outHeight; oy++) {
        for (let ox = 0; ox < outWidth; ox++) {
          let sum = 0;
          for (let ci = 0; ci < groupIn; ci++) {
            const channel = Math.floor(co / groupOut) * groupIn + ci;
            for (let ky = 0; ky < kh; ky++) {
              for (let kx = 0; kx < kw; kx++) {
                const [iy, ix] = [oy * strideY - top + ky, ox * strideX - left + kx];
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                sum += w[((co * groupIn + ci) * kh + ky) * kw + kx] * x[((b * inChannels + channel) * height + iy) * width + ix];
              }
            }
          }
          out.push(Math.fround(sum));
        }
      }
    }
  }
  return out;
}

describe('conv2d', () => {
  it('matches the direct definition with groups, stride and uneven padding', () => {
    const [xShape, wShape] = [[2, 6, 7, 5], [9, 2, 3, 2]];
    const x = pseudoRandom(2 * 6 * 7 * 5, 1);
    const w = pseudoRandom(9 * 2 * 3 * 2, 2);
    const out = tidy(() => conv2d(make(x, xShape), make(w, wShape), null, { groups: 3, stride: [2, 1], padding: [0, 1, 1, 0] }));

    const expected = directConv2d(x, xShape, w, wShape, [2, 1], [0, 1, 1, 0], [out.shape[2], out.shape[3]]);
    // Height (7 + 0 + 1 - 3) / 2 + 1 = 3, width (5 + 1 + 0 - 2) + 1 = 5.
    expect(out.shape).toEqual([2, 9, 3, 5]);
    expect(maxAbsDifference(out.dataSync(), expected)).toBeLessThan(1e-6);
    out.dispose();
  });

  it('handles a kernel larger than the input', () => {
    const x = pseudoRandom(1 * 2 * 2 * 3, 3);
    const w = pseudoRandom(3 * 2 * 5 * 5, 4);
    const out = tidy(() => conv2d(make(x, [1, 2, 2, 3]), make(w, [3, 2, 5, 5]), null, { padding: 2 }));

    const expected = directConv2d(x, [1, 2, 2, 3], w, [3, 2, 5, 5], [1, 1], [2, 2, 2, 2], [2, 3]);
    expect(maxAbsDifference(out.dataSync(), expected)).toBeLessThan(1e-6);
    out.dispose();
  });

  it('computes a 1x1 conv as linear does', () => {
    const [inChannels, outChannels, height, width] = [5, 4, 3, 2];
    const positions = height * width;
    const x = pseudoRandom(inChannels * positions, 5);
    const w = pseudoRandom(outChannels * inChannels, 6);
    const bias = pseudoRandom(outChannels, 7);

    // linear wants [positions, Cin]: transpose the single image's [Cin, H*W].
    const rows = new Float32Array(positions * inChannels);
    for (let c = 0; c < inChannels; c++) {
      for (let p = 0; p < positions; p++) rows[p * inChannels + c] = x[c * positions + p];
    }
    const [convolved, multiplied] = tidy(() => [
      conv2d(make(x, [1, inChannels, height, width]), make(w, [outChannels, inChannels, 1, 1]), make(bias, [outChannels])),
      linear(make(rows, [positions, inChannels]), make(w, [outChannels, inChannels]), make(bias, [outChannels])),
    ]);

    const fromConv = convolved.dataSync();
    const fromLinear = multiplied.dataSync();
    for (let o = 0; o < outChannels; o++) {
      for (let p = 0; p < positions; p++) expect(fromConv[o * positions + p]).toBe(fromLinear[p * outChannels + o]);
    }
    convolved.dispose();
    multiplied.dispose();
  });

  it('agrees with depthwiseConv2d when groups equal channels', () => {
    const x = pseudoRandom(2 * 4 * 6 * 5, 8);
    const w = pseudoRandom(4 * 7 * 7, 9);
    const bias = pseudoRandom(4, 10);
    const outputs: Tensor[] = tidy(() => {
      const [input, filters, offsets] = [make(x, [2, 4, 6, 5]), make(w, [4, 1, 7, 7]), make(bias, [4])];
      return [
        conv2d(input, filters, offsets, { groups: 4, stride: 2, padding: 3 }),
        depthwiseConv2d(input, filters, offsets, { stride: 2, padding: 3 }),
      ];
    });

    expect(outputs[0].shape).toEqual([2, 4, 3, 3]);
    expect(maxAbsDifference(outputs[0].dataSync(), outputs[1].dataSync())).toBe(0);
    outputs.forEach((t) => t.dispose());
  });

  it('places the odd extra pixel of same padding at the bottom and right', () => {
    // A 2x2 kernel with 'same' pads one row at the bottom and one column at the right.
    const out = tidy(() => depthwiseConv2d(make([1, 2, 3, 4], [1, 1, 2, 2]), make([1, 0, 0, 0], [1, 1, 2, 2]), null, { padding: 'same' }));

    expect(Array.from(out.dataSync())).toEqual([1, 2, 3, 4]);
    out.dispose();
  });
});
