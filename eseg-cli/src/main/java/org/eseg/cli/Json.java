package org.eseg.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

/** The {@code --json} flag of the commands that report figures: one line of JSON as the last stdout line. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--json", description = "End with one line of JSON of the figures, for scripts.")
    boolean wanted;

    static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
