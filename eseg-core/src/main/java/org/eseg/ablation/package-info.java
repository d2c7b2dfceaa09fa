/**
 * The paper's Table 8 experiment: the six encoder/decoder combinations trained with identical settings,
 * then compared by mIoU, parameters, multiply-adds and measured latency. It sits above training, evaluation
 * and inference, like {@code demo}; nothing depends on it.
 */
package org.eseg.ablation;
