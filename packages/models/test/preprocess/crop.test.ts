import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@mobilemamba/core';
import { centerCrop, centerCropOffsets, roundHalfEven } from '../../src/preprocess/index.js';
import { photosMeta, photosPath, photosTitle } from './photo-fixtures.js';

describe('roundHalfEven', () => {
  // Python's round() sends halves to the even neighbour. These halves are crop offsets of the fixture photos.
  it.each([
    [13.5, 14],
    [68.5, 68],
    [4.5, 4],
    [22.5, 22],
  ])('rounds %d to %d', (value, expected) => {
    expect(roundHalfEven(value)).toBe(expected);
  });

  it('rounds non-halves to the nearest integer', () => {
    expect(roundHalfEven(75)).toBe(75);
    expect(roundHalfEven(2.4999)).toBe(2);
    expect(roundHalfEven(2.5001)).toBe(3);
    expect(roundHalfEven(0)).toBe(0);
  });

  it('rounds negative halves to even', () => {
    expect(roundHalfEven(-1.5)).toBe(-2);
    expect(roundHalfEven(-2.5)).toBe(-2);
    expect(roundHalfEven(-0.5)).toBe(0);
  });
});

describe.skipIf(!photosPath)(photosTitle('centerCropOffsets on fixture geometry'), () => {
  it('rounds the exact offsets as the fixtures did', () => {
    const meta = photosMeta();
    const geometries = [
      ...Object.values(meta.images).map((image) => [image.geometry_192, 192] as const),
      [meta.chelsea_size64.geometry_64, 64] as const,
    ];
    for (const [geometry, size] of geometries) {
      const [height, width] = geometry.resize_to_hw;
      expect(roundHalfEven(geometry.crop_top_exact)).toBe(geometry.crop_top);
      expect(roundHalfEven(geometry.crop_left_exact)).toBe(geometry.crop_left);
      expect(centerCropOffsets(height, width, size)).toEqual({ top: geometry.crop_top, left: geometry.crop_left });
    }
  });
});

describe('centerCrop', () => {
  it('copies the centred square', () => {
    // Pixel (y, x) contains y * 10 + x in every channel, so each output pixel names its source.
    const height = 5;
    const width = 8;
    const data = new Uint8Array(height * width * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.fill(y * 10 + x, (y * width + x) * 3, (y * width + x + 1) * 3);
    }

    const crop = centerCrop({ data, height, width }, 3);

    const { top, left } = centerCropOffsets(height, width, 3);
    expect(crop.height).toBe(3);
    expect(crop.width).toBe(3);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 3; x++) expect(crop.data[(y * 3 + x) * 3]).toBe((top + y) * 10 + left + x);
    }
  });

  it('rejects a crop larger than the image', () => {
    expect(() => centerCropOffsets(5, 8, 6)).toThrow(InvalidArgumentError);
    expect(() => centerCropOffsets(5, 8, 6)).toThrow(/larger than the 5 x 8 image/);
  });
});
