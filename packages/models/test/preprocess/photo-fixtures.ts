import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSafetensors, storedToFloat32, type SafetensorsFile } from '@mobilemamba/core';
import { findFixture, missingFixtureMessage } from '../../../conformance/src/fixtures.js';
import type { RgbImage } from '../../src/preprocess/index.js';

/** The photo fixture file: per photo, decoded pixels, resized images and T2 inputs. */
export const PHOTOS_FIXTURE = 'images/photos_t2.io.safetensors';

/** The six photos, each stored as N.png and N.jpg beside the fixture file. */
export const PHOTO_NAMES = ['chelsea', 'coffee', 'astronaut', 'rocket_portrait', 'camera_gray', 'coffee_small'] as const;

export const photosPath = findFixture(PHOTOS_FIXTURE);

/** Describe-block title: the given name, or the skip message when the fixture is missing. */
export function photosTitle(name: string): string {
  return photosPath ? name : `${name} (${missingFixtureMessage(PHOTOS_FIXTURE)})`;
}

let cached: SafetensorsFile | undefined;

/** The parsed photo fixture file, read once. */
export function photos(): SafetensorsFile {
  if (!photosPath) throw new Error(missingFixtureMessage(PHOTOS_FIXTURE));
  cached ??= parseSafetensors(readFileSync(photosPath), PHOTOS_FIXTURE);
  return cached;
}

/** The image file beside the fixture file, such as 'chelsea.png'. */
export function photoFile(fileName: string): string {
  if (!photosPath) throw new Error(missingFixtureMessage(PHOTOS_FIXTURE));
  return join(dirname(photosPath), fileName);
}

/** Parses the fixture's metadata document (`meta`): geometry, versions, figures. */
export function photosMeta(): PhotosMeta {
  return JSON.parse(photos().metadata.meta) as PhotosMeta;
}

export interface CropGeometry {
  resize_to_hw: [number, number];
  crop_top: number;
  crop_left: number;
  crop_top_exact: number;
  crop_left_exact: number;
}

export interface PhotosMeta {
  images: Record<string, { height: number; width: number; mode: string; geometry_192: CropGeometry }>;
  chelsea_size64: { geometry_64: CropGeometry };
  mean: number[];
  std: number[];
}

/** A U8 [h, w, 3] tensor of the fixture as an RgbImage. */
export function fixtureImage(name: string): RgbImage {
  const tensor = photos().tensors.get(name);
  if (!tensor) throw new Error(`${PHOTOS_FIXTURE} has no tensor '${name}'`);
  if (tensor.dtype !== 'U8' || tensor.shape.length !== 3 || tensor.shape[2] !== 3) {
    throw new Error(`${PHOTOS_FIXTURE}: '${name}' is ${tensor.dtype} [${tensor.shape.join(', ')}], expected U8 [h, w, 3]`);
  }
  return { data: tensor.bytes, height: tensor.shape[0], width: tensor.shape[1] };
}

/** An F32 tensor of the fixture, widened to a Float32Array. */
export function fixtureFloats(name: string): Float32Array {
  const tensor = photos().tensors.get(name);
  if (!tensor) throw new Error(`${PHOTOS_FIXTURE} has no tensor '${name}'`);
  return storedToFloat32(tensor);
}
