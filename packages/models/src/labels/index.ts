export { InvalidLabelsError } from './errors.js';
export { readLabelsFile } from './file.js';
export { IMAGENET_CLASSES } from './imagenet.js';
export { parseLabels } from './parse.js';
export { topK, type Prediction } from './top-k.js';
