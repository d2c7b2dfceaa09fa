package org.eseg.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.eseg.infer.PredictionWriter;
import org.eseg.infer.PseudoLabeler;

/**
 * The images of a job, listed on the driver. Local folders are listed by the single-machine commands' own
 * listing, so outputs get the same names; other file systems ({@code hdfs:}, {@code s3a:}) by a recursive Hadoop
 * listing with the same rules (image suffixes, sorted, subfolders mirrored).
 */
final class ImageInputs {

    /**
     * One image.
     *
     * @param uri where it is (a Hadoop path)
     * @param name its outputs' name under the output folder, without suffix
     * @param size its size in bytes
     */
    record Input(String uri, String name, long size) implements Serializable {}

    private ImageInputs() {}

    /**
     * The images of a folder for {@code pseudo-label}: named by their file-name stems, which must be unique.
     *
     * @param folder a folder (local path or Hadoop URI)
     * @param conf the Hadoop configuration
     * @return the images
     * @throws IOException if the folder cannot be listed or holds no images
     */
    static List<Input> forPseudoLabels(String folder, Configuration conf) throws IOException {
        Path root = TaskOutputs.path(folder);
        FileSystem fs = TaskOutputs.fileSystem(root, conf);
        List<Input> inputs = new ArrayList<>();
        if (isLocal(fs)) {
            for (java.nio.file.Path p : PseudoLabeler.listImages(java.nio.file.Path.of(root.toUri()))) {
                inputs.add(new Input(new Path(p.toUri()).toString(), PredictionWriter.stem(p), p.toFile().length()));
            }
            return inputs;
        }
        Map<String, String> byStem = new HashMap<>();
        for (LocatedFileStatus f : list(fs, root, PseudoLabeler.IMAGE_SUFFIXES)) {
            String stem = PredictionWriter.stem(java.nio.file.Path.of(f.getPath().getName()));
            String other = byStem.putIfAbsent(stem, f.getPath().toString());
            if (other != null) {
                throw new IllegalArgumentException("two images share the name stem '" + stem + "': " + other + " and "
                        + f.getPath() + " (their masks would overwrite each other)");
            }
            inputs.add(new Input(f.getPath().toString(), stem, f.getLen()));
        }
        return inputs;
    }

    /**
     * The images of a folder for {@code predict}: named by their paths relative to the folder, without extension.
     *
     * @param folder a folder (local path or Hadoop URI)
     * @param out the output folder, whose files are never inputs
     * @param conf the Hadoop configuration
     * @return the images
     * @throws IOException if the folder cannot be listed or holds no images
     */
    static List<Input> forPredictions(String folder, String out, Configuration conf) throws IOException {
        Path root = TaskOutputs.path(folder);
        FileSystem fs = TaskOutputs.fileSystem(root, conf);
        List<Input> inputs = new ArrayList<>();
        if (isLocal(fs) && isLocal(TaskOutputs.fileSystem(TaskOutputs.path(out), conf))) {
            java.nio.file.Path outDir = java.nio.file.Path.of(TaskOutputs.path(out).toUri());
            java.nio.file.Path folderPath = java.nio.file.Path.of(root.toUri());
            for (PredictionWriter.Input in : PredictionWriter.plan(List.of(folderPath), outDir)) {
                inputs.add(new Input(new Path(in.file().toUri()).toString(), in.name(), in.file().toFile().length()));
            }
            return inputs;
        }
        String prefix = fs.makeQualified(root).toString();
        for (LocatedFileStatus f : list(fs, root, PredictionWriter.IMAGE_SUFFIXES)) {
            String relative = f.getPath().toString().substring(prefix.length()).replaceFirst("^/+", "");
            int slash = relative.lastIndexOf('/');
            String name = (slash < 0 ? "" : relative.substring(0, slash + 1))
                    + PredictionWriter.stem(java.nio.file.Path.of(f.getPath().getName()));
            inputs.add(new Input(f.getPath().toString(), name, f.getLen()));
        }
        return inputs;
    }

    private static boolean isLocal(FileSystem fs) {
        return fs instanceof RawLocalFileSystem || fs instanceof LocalFileSystem;
    }

    private static List<LocatedFileStatus> list(FileSystem fs, Path root, List<String> suffixes) throws IOException {
        if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
            throw new IOException("image folder " + root + " does not exist");
        }
        List<LocatedFileStatus> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String n = f.getPath().getName().toLowerCase(Locale.ROOT);
            if (f.isFile() && suffixes.stream().anyMatch(n::endsWith)) {
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("folder " + root + " holds no images (" + String.join(", ", suffixes) + ")");
        }
        files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
        return files;
    }
}
