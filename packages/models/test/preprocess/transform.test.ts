import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, parseSafetensors, storedToFloat32 } from '@mobilemamba/core';
import { findFixture, missingFixtureMessage } from '../../../conformance/src/fixtures.js';
import {
  decodeImage,
  evalTransform,
  evalTransformSteps,
  IMAGENET_MEAN,
  IMAGENET_STD,
  preprocessImageFile,
} from '../../src/preprocess/index.js';
import { compareBytes, maxAbsDifference } from './compare.js';
import {
  fixtureFloats,
  fixtureImage,
  PHOTO_NAMES,
  photoFile,
  photosMeta,
  photosPath,
  photosTitle,
} from './photo-fixtures.js';

/** Float32 rounding of values up to about 2.7, because PyTorch made the fixtures in float32. */
const INPUT_TOLERANCE = 1e-6;

describe.skipIf(!photosPath)(photosTitle('evalTransform against torchvision'), () => {
  for (const name of PHOTO_NAMES) {
    it(`matches ${name}.png.input`, async () => {
      const steps = await preprocessImageFile(photoFile(`${name}.png`), 192);

      expect(compareBytes(steps.resized.data, fixtureImage(`${name}.png.resized`).data).count).toBe(0);
      expect(maxAbsDifference(steps.input, fixtureFloats(`${name}.png.input`))).toBeLessThanOrEqual(INPUT_TOLERANCE);
    });

    it(`matches ${name}.jpg.input from ${name}.jpg.rgb`, () => {
      const input = evalTransform(fixtureImage(`${name}.jpg.rgb`), 192);

      expect(maxAbsDifference(input, fixtureFloats(`${name}.jpg.input`))).toBeLessThanOrEqual(INPUT_TOLERANCE);
    });
  }

  it('matches chelsea.png.input64 at size 64', async () => {
    const image = await decodeImage(photoFile('chelsea.png'));

    const steps = evalTransformSteps(image, 64);

    expect(compareBytes(steps.resized.data, fixtureImage('chelsea.png.resized64').data).count).toBe(0);
    expect(maxAbsDifference(steps.input, fixtureFloats('chelsea.png.input64'))).toBeLessThanOrEqual(INPUT_TOLERANCE);
  });

  it('crops where the fixture geometry says', () => {
    const meta = photosMeta();
    for (const name of PHOTO_NAMES) {
      const { crop } = evalTransformSteps(fixtureImage(`${name}.jpg.rgb`), 192);
      const geometry = meta.images[name].geometry_192;
      expect(crop, name).toEqual({ top: geometry.crop_top, left: geometry.crop_left });
    }
  });

  it('uses the fixture normalisation constants', () => {
    const meta = photosMeta();
    expect([...IMAGENET_MEAN]).toEqual(meta.mean);
    expect([...IMAGENET_STD]).toEqual(meta.std);
  });
});

const MNIST_FIXTURE = 'real/mnist.io.safetensors';
const mnistPath = findFixture(MNIST_FIXTURE);

describe.skipIf(!mnistPath)(mnistPath ? 'evalTransform on MNIST digits' : `evalTransform on MNIST digits (${missingFixtureMessage(MNIST_FIXTURE)})`, () => {
  it('matches input_first8 at size 64', async () => {
    const file = parseSafetensors(readFileSync(mnistPath!), MNIST_FIXTURE);
    const stored = file.tensors.get('input_first8')!;
    const [count, channels, height, width] = stored.shape;
    const expected = storedToFloat32(stored);
    const index = JSON.parse(readFileSync(join(dirname(mnistPath!), 'mnist', 'index.json'), 'utf8')) as {
      entries: { file: string }[];
    };
    const digitSize = channels * height * width;

    for (let i = 0; i < count; i++) {
      const file = index.entries[i].file;
      const { input, image } = await preprocessImageFile(join(dirname(mnistPath!), 'mnist', file), height);

      expect([image.height, image.width], file).toEqual([28, 28]);
      expect(input.length, file).toBe(digitSize);
      const reference = expected.subarray(i * digitSize, (i + 1) * digitSize);
      expect(maxAbsDifference(input, reference), file).toBeLessThanOrEqual(INPUT_TOLERANCE);
    }
  });
});

describe('evalTransform arguments', () => {
  const image = { data: new Uint8Array(10 * 12 * 3), height: 10, width: 12 };

  it('returns [3, size, size] floats', () => {
    expect(evalTransform(image, 8)).toHaveLength(3 * 8 * 8);
  });

  it('rejects a size that is not a positive integer', () => {
    for (const size of [0, -1, 2.5, Number.NaN, '8' as unknown as number]) {
      expect(() => evalTransform(image, size), String(size)).toThrow(InvalidArgumentError);
    }
    expect(() => evalTransform(image, 0)).toThrow(/evalTransform: invalid argument 'size' \(0\)/);
  });

  it('rejects data of the wrong length', () => {
    const short = { ...image, data: new Uint8Array(10 * 12 * 3 - 1) };
    expect(() => evalTransform(short, 8)).toThrow(/'image\.data'.*expected 360 bytes \(height 10 x width 12 x 3 channels\), got 359/);
  });

  it('rejects data that is not a Uint8Array', () => {
    const floats = { ...image, data: new Float32Array(360) as unknown as Uint8Array };
    expect(() => evalTransform(floats, 8)).toThrow(/expected a Uint8Array/);
  });

  it('rejects invalid image sizes', () => {
    expect(() => evalTransform({ ...image, height: 0 }, 8)).toThrow(/'image\.height'/);
    expect(() => evalTransform({ ...image, width: 1.5 }, 8)).toThrow(/'image\.width'/);
  });

  it('rejects a size before decoding a file', async () => {
    await expect(preprocessImageFile('/nonexistent.png', 0)).rejects.toThrow(InvalidArgumentError);
  });
});
