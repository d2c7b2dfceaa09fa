package org.eseg.model.complexity;

/**
 * Parameter and multiply-add counts of one part of a network.
 *
 * @param params trainable parameters (BatchNorm running statistics excluded)
 * @param macs multiply-adds of convolution and linear layers for one image
 */
public record PartFigures(long params, long macs) {}
