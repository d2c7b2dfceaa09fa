package org.eseg.model.backbone;

/**
 * DeepLab's atrous encoder, stage by stage: once the total stride would pass the output stride, a stage keeps
 * its input's stride and dilates its spatial convolutions instead; its first block keeps the previous
 * dilation (torchvision's {@code replace_stride_with_dilation}, timm's {@code output_stride}).
 */
final class AtrousSchedule {

    /**
     * How one stage's blocks are built.
     *
     * @param stride the stride of the stage's first block
     * @param firstDilation the dilation of the first block
     * @param dilation the dilation of the other blocks
     */
    record Stage(int stride, int firstDilation, int dilation) {}

    private final int outputStride;
    private int stride;
    private int dilation = 1;

    /**
     * Starts the schedule.
     *
     * @param startStride the stride before the first scheduled stage (after the stem)
     * @param outputStride the largest total stride
     */
    AtrousSchedule(int startStride, int outputStride) {
        this.stride = startStride;
        this.outputStride = outputStride;
    }

    /**
     * The next stage.
     *
     * @param stageStride the stride the stage has in the plain encoder
     * @return how to build it
     */
    Stage next(int stageStride) {
        int first = dilation;
        if (stageStride > 1 && stride * stageStride > outputStride) {
            dilation *= stageStride;
            return new Stage(1, first, dilation);
        }
        stride *= stageStride;
        return new Stage(stageStride, first, dilation);
    }
}
