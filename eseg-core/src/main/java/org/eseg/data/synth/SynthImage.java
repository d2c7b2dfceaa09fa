package org.eseg.data.synth;

/**
 * One generated scene.
 *
 * @param height rows
 * @param width columns
 * @param rgb interleaved 8-bit R, G, B, row-major
 * @param labelIds Cityscapes label ids, row-major
 */
public record SynthImage(int height, int width, byte[] rgb, byte[] labelIds) {}
