import classNames from './imagenet-classes.json';

/**
 * The 1,000 ImageNet-1k class names in index order, as torchvision 0.14
 * lists them for its pretrained classifiers: logit i of an ImageNet
 * classifier is class IMAGENET_CLASSES[i] (281 is "tabby", 504 is
 * "coffee mug").
 */
export const IMAGENET_CLASSES: readonly string[] = Object.freeze([...(classNames as string[])]);
