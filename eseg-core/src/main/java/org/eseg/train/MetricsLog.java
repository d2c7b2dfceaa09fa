package org.eseg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code RUN_DIR/metrics.jsonl}: one JSON object per logged step ({@code step}, {@code loss}, {@code lr},
 * ...); validation lines add {@code miou}. Appended line by line, so a crash loses at most the line being
 * written; a resumed run drops lines past its checkpoint's step so the log has no duplicates.
 */
public final class MetricsLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    /**
     * Opens (creating if needed) the log.
     *
     * @param file the .jsonl file
     */
    public MetricsLog(Path file) {
        this.file = file;
    }

    /**
     * The log's path.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Appends one line.
     *
     * @param values the fields, in order
     */
    public void append(Map<String, ?> values) {
        try {
            byte[] line = (JSON.writeValueAsString(values) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /**
     * Every line so far.
     *
     * @return the parsed objects (a torn last line is skipped)
     * @throws IOException if the file cannot be read
     */
    public List<JsonNode> read() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                // a line torn by a crash: ignore it
            }
        }
        return out;
    }

    /**
     * Drops lines whose step is above {@code step} (used on resume).
     *
     * @param step the checkpoint's step
     * @throws IOException if the file cannot be rewritten
     */
    public void truncateAfter(long step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        StringBuilder keep = new StringBuilder();
        for (JsonNode n : read()) {
            if (n.path("step").asLong() <= step) {
                keep.append(JSON.writeValueAsString(n)).append('\n');
            }
        }
        org.eseg.util.AtomicFiles.writeString(file, keep.toString());
    }
}
