package org.eseg.data.transform;

import java.util.random.RandomGenerator;
import org.eseg.data.LabelMap;
import org.eseg.data.LabeledImage;
import org.eseg.data.RgbImage;

/**
 * {@link RandomScale} followed by {@link RandomCrop}, fused: the same random draws and exactly the same result,
 * but only the crop window of the scaled image is computed. Scaling a 1024×2048 image by 2 and cropping 512×1024
 * costs one crop's work instead of a 2048×4096 float image.
 *
 * @param scale the scale step
 * @param crop the crop step
 */
public record ScaleCrop(RandomScale scale, RandomCrop crop) implements Transform {

    @Override
    public LabeledImage apply(LabeledImage in, RandomGenerator rng) {
        int[] hw = scale.scaledSize(in.image().height(), in.image().width(), rng);
        int h = hw[0];
        int w = hw[1];
        // The class-ratio check needs the scaled labels; bytes are cheap next to float RGB.
        LabelMap scaledMask = crop.catMaxRatio() < 1 ? Resize.nearest(in.mask(), h, w) : null;
        int[] yx = crop.window(h, w, scaledMask, rng);
        int ch = Math.min(crop.height(), h - yx[0]);
        int cw = Math.min(crop.width(), w - yx[1]);
        RgbImage img = Resize.bilinearWindow(in.image(), h, w, yx[0], yx[1], ch, cw);
        LabelMap mask = scaledMask != null
                ? crop.cropMask(scaledMask, yx[0], yx[1])
                : crop.cropMask(Resize.nearestWindow(in.mask(), h, w, yx[0], yx[1], ch, cw), 0, 0);
        return new LabeledImage(in.id(), crop.cropImage(img, 0, 0), mask);
    }
}
