package org.eseg.data.stats;

import java.util.List;
import java.util.Map;
import org.eseg.data.DataProblem;

/**
 * What {@link DatasetStats} found.
 *
 * @param dataset the dataset's name
 * @param images image files found (including those whose pair is bad)
 * @param usable pairs that loaded without a problem
 * @param sizes image sizes seen ("HxW") with their counts, most frequent first
 * @param classPixels labelled pixels per class name, in train-id order (usable pairs only)
 * @param ignorePixels pixels labelled 255 (usable pairs only)
 * @param problems every problem found, each naming its file
 * @param notes conversions made to images (grayscale, alpha, 16-bit, palette), each naming its file
 */
public record DatasetReport(String dataset, int images, int usable, Map<String, Integer> sizes,
        Map<String, Long> classPixels, long ignorePixels, List<DataProblem> problems, List<String> notes) {}
