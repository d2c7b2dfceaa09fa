package org.eseg.model.backbone;

import ai.djl.nn.Block;
import java.util.List;
import org.eseg.graph.CompilableBlock;

/**
 * A backbone the model can put under its decoder: image in, one feature map per {@link FeatureTap} out
 * (lowest level first). EfficientNet (with MBConv or Fused-MBConv blocks) and ResNet-50 implement it.
 */
public interface Encoder extends Block, CompilableBlock {

    /** The output stride of an encoder that keeps every stride. */
    int FULL_STRIDE = 32;
    /** The output stride of DeepLab's atrous encoder: the last stride-2 stage is dilated instead. */
    int ATROUS_STRIDE = 16;

    /**
     * The taps this encoder returns, in output order (lowest level first).
     *
     * @return taps with their channels
     */
    List<FeatureTap> taps();

    /**
     * The channels of a level's tap.
     *
     * @param level a tapped level
     * @return channels
     * @throws IllegalArgumentException if the encoder has no such tap
     */
    default int channels(int level) {
        return taps().stream()
                .filter(t -> t.level() == level)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("encoder has no level P" + level))
                .channels();
    }

    /**
     * Checks an output stride.
     *
     * @param outputStride 16 or 32
     * @throws IllegalArgumentException for any other value
     */
    static void checkOutputStride(int outputStride) {
        if (outputStride != FULL_STRIDE && outputStride != ATROUS_STRIDE) {
            throw new IllegalArgumentException("output stride must be 16 or 32, got " + outputStride);
        }
    }
}
