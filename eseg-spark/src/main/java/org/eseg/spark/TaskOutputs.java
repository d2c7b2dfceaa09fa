package org.eseg.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes the outputs of one task attempt into an output folder on any Hadoop file system, each committed once:
 * a file is written under {@code OUT/_temporary/<attempt>/} and renamed into place, and an output that already
 * exists (committed by an earlier attempt of the same task, or by a speculative twin) is left alone. Outputs are
 * a pure function of their input, so whichever attempt commits first wrote the right content, a failed attempt
 * leaves at most temporary files, and no output is ever half-written or written twice.
 */
final class TaskOutputs {

    /** The folder under the output where attempts stage their files; the driver removes it at the end. */
    static final String TEMPORARY = "_temporary";

    private final FileSystem fs;
    private final Path out;
    private final Path staging;
    private final Configuration conf;

    /**
     * Outputs of one attempt.
     *
     * @param out the output folder
     * @param attempt a name unique to the attempt (e.g. stage, partition and attempt numbers)
     * @param conf the Hadoop configuration
     * @throws IOException if the file system cannot be reached
     */
    TaskOutputs(Path out, String attempt, Configuration conf) throws IOException {
        this.fs = fileSystem(out, conf);
        this.out = out;
        this.staging = new Path(new Path(out, TEMPORARY), attempt);
        this.conf = conf;
    }

    /**
     * The file system of a path; on local disks without Hadoop's {@code .crc} side files, so that the output folder
     * holds exactly what the single-machine commands write.
     *
     * @param path a path
     * @param conf the Hadoop configuration
     * @return its file system
     * @throws IOException if it cannot be reached
     */
    static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /**
     * Commits a finished local file as {@code OUT/relative}, moving it away.
     *
     * @param local the file, on this machine's disk
     * @param relative its path under the output folder ('/'-separated)
     * @throws IOException if it cannot be copied or renamed
     */
    void commitLocal(java.nio.file.Path local, String relative) throws IOException {
        Path tmp = new Path(staging, relative);
        fs.mkdirs(tmp.getParent());
        fs.copyFromLocalFile(true, true, new Path(local.toUri()), tmp);
        commit(tmp, new Path(out, relative));
    }

    /**
     * Commits a copy of a file of any file system as {@code OUT/relative}.
     *
     * @param source the file
     * @param relative its path under the output folder ('/'-separated)
     * @throws IOException if it cannot be copied or renamed
     */
    void commitCopy(Path source, String relative) throws IOException {
        Path tmp = new Path(staging, relative);
        fs.mkdirs(tmp.getParent());
        if (!FileUtil.copy(fileSystem(source, conf), source, fs, tmp, false, true, conf)) {
            throw new IOException("cannot copy " + source + " to " + tmp);
        }
        commit(tmp, new Path(out, relative));
    }

    private void commit(Path tmp, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        if (fs.exists(target) || fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            return;
        }
        if (!fs.exists(target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
        fs.delete(tmp, false);
    }

    /**
     * A URI's path as a Hadoop path; a plain local path becomes a {@code file:} URI.
     *
     * @param location a folder or file, local or any Hadoop URI
     * @return the path
     */
    static Path path(String location) {
        URI uri = URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() == null || uri.getScheme().length() == 1) {
            return new Path(java.nio.file.Path.of(location).toAbsolutePath().normalize().toUri());
        }
        return new Path(location);
    }
}
