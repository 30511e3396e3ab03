import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@mobilemamba/core';
import {
  computeAxisWeights,
  decodeImage,
  evalResizeSize,
  PRECISION_BITS,
  resizeBicubic,
  type RgbImage,
} from '../../src/preprocess/index.js';
import { compareBytes } from './compare.js';
import { fixtureImage, PHOTO_NAMES, photoFile, photosMeta, photosPath, photosTitle } from './photo-fixtures.js';

describe.skipIf(!photosPath)(photosTitle('resizeBicubic against Pillow'), () => {
  for (const name of PHOTO_NAMES) {
    it(`matches ${name}.png.resized bit for bit`, async () => {
      const expected = fixtureImage(`${name}.png.resized`);
      const image = await decodeImage(photoFile(`${name}.png`));

      const resized = resizeBicubic(image, expected.height, expected.width);

      expect(compareBytes(resized.data, expected.data)).toEqual({ count: 0, max: 0, firstIndex: -1 });
    });

    it(`matches ${name}.jpg.resized from ${name}.jpg.rgb`, () => {
      const expected = fixtureImage(`${name}.jpg.resized`);
      const image = fixtureImage(`${name}.jpg.rgb`);

      const resized = resizeBicubic(image, expected.height, expected.width);

      expect(compareBytes(resized.data, expected.data)).toEqual({ count: 0, max: 0, firstIndex: -1 });
    });
  }

  it('matches chelsea.png.resized64 (enlargement target 73)', async () => {
    const expected = fixtureImage('chelsea.png.resized64');
    const image = await decodeImage(photoFile('chelsea.png'));

    const resized = resizeBicubic(image, expected.height, expected.width);

    expect(compareBytes(resized.data, expected.data)).toEqual({ count: 0, max: 0, firstIndex: -1 });
  });

  it('evalResizeSize gives the fixture geometry', () => {
    const meta = photosMeta();
    for (const name of PHOTO_NAMES) {
      const { height, width, geometry_192: geometry } = meta.images[name];
      const size = evalResizeSize(height, width, 192);
      expect([size.height, size.width], name).toEqual(geometry.resize_to_hw);
    }
    const chelsea = meta.images.chelsea;
    const size64 = evalResizeSize(chelsea.height, chelsea.width, 64);
    expect([size64.height, size64.width]).toEqual(meta.chelsea_size64.geometry_64.resize_to_hw);
  });
});

describe('computeAxisWeights', () => {
  const unit = 2 ** PRECISION_BITS;

  it('gives rows that sum to about one', () => {
    for (const [inSize, outSize] of [[451, 329], [150, 219], [28, 73], [512, 219], [7, 1], [1, 5]]) {
      const weights = computeAxisWeights(inSize, outSize);
      for (let i = 0; i < outSize; i++) {
        let sum = 0;
        for (let t = 0; t < weights.count[i]; t++) sum += weights.weights[i * weights.stride + t];
        // Each weight is rounded separately, so the sum may miss 2^22 by a few units.
        expect(Math.abs(sum - unit), `${inSize} -> ${outSize}, row ${i}`).toBeLessThanOrEqual(weights.count[i]);
      }
    }
  });

  it('keeps taps inside the image', () => {
    const weights = computeAxisWeights(300, 219);
    for (let i = 0; i < 219; i++) {
      expect(weights.start[i]).toBeGreaterThanOrEqual(0);
      expect(weights.start[i] + weights.count[i]).toBeLessThanOrEqual(300);
      expect(weights.count[i]).toBeLessThanOrEqual(weights.stride);
    }
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => computeAxisWeights(0, 4)).toThrow(/computeAxisWeights: invalid argument 'inSize' \(0\)/);
    expect(() => computeAxisWeights(4, 1.5)).toThrow(/'outSize' \(1\.5\)/);
  });

  it('stretches the kernel only when reducing', () => {
    // Reducing 512 -> 219 reaches 2 * 512 / 219 pixels each side. Enlarging keeps reach 2.
    expect(computeAxisWeights(512, 219).stride).toBe(Math.ceil((2 * 512) / 219) * 2 + 1);
    expect(computeAxisWeights(150, 219).stride).toBe(5);
  });
});

describe('resizeBicubic', () => {
  function randomImage(height: number, width: number, seed: number): RgbImage {
    const data = new Uint8Array(height * width * 3);
    let state = seed;
    for (let i = 0; i < data.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      data[i] = state >>> 24;
    }
    return { data, height, width };
  }

  it('returns a copy at the same size', () => {
    const image = randomImage(5, 7, 1);
    const resized = resizeBicubic(image, 5, 7);
    expect(resized.data).toEqual(image.data);
    expect(resized.data).not.toBe(image.data);
  });

  it('keeps a constant image constant', () => {
    const image = { data: new Uint8Array(9 * 13 * 3).fill(200), height: 9, width: 13 };
    for (const [height, width] of [[4, 5], [20, 31], [9, 40], [1, 1]]) {
      const resized = resizeBicubic(image, height, width);
      expect(resized.data.every((value) => value === 200), `${height} x ${width}`).toBe(true);
    }
  });

  it('clips the overshoot of a sharp edge', () => {
    // Enlarging a black-white edge with a = -0.5 undershoots below 0 and overshoots above 255.
    // Clipped, each channel rises monotonically, but wrapped to 8 bits it would not.
    const data = new Uint8Array(1 * 4 * 3);
    data.fill(255, 6);
    const resized = resizeBicubic({ data, height: 1, width: 4 }, 1, 16);
    for (let x = 1; x < 16; x++) {
      expect(resized.data[x * 3], `pixel ${x}`).toBeGreaterThanOrEqual(resized.data[(x - 1) * 3]);
    }
  });

  it('rejects invalid arguments', () => {
    const image = randomImage(4, 4, 2);
    expect(() => resizeBicubic(image, 0, 4)).toThrow(InvalidArgumentError);
    expect(() => resizeBicubic(image, 4, 2.5)).toThrow(/'width' \(2\.5\).*positive integer/);
    expect(() => resizeBicubic({ ...image, data: image.data.subarray(1) }, 4, 4)).toThrow(/expected 48 bytes/);
  });
});
