// Entry point of the kernel module. Pointers are byte offsets into the one
// imported memory; every float array is 4-byte aligned. Kernels that run on
// worker threads take (begin, end, worker) last: the range of work units to
// run and the worker's index, which selects its slice of any scratch buffer.
export { depthwise } from './depthwise';
export { binary, unary } from './elementwise';
export { gemm, gemm_units, pack_panels, pack_tiles, packed_panels_bytes, packed_tiles_bytes } from './gemm';
export { dwt2d, idwt2d } from './haar';
export { im2col } from './im2col';
export { copy_box, reverse_rows } from './layout';
export { global_avg_pool, layer_norm, linear } from './normalization';
export { selective_scan } from './selective-scan';
