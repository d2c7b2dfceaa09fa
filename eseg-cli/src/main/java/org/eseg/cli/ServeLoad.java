package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eseg.serve.LoadTest;
import picocli.CommandLine.Option;

/** {@code eseg benchmark --serve URL}: the load-test options, and printing what the library measured. */
final class ServeLoad {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    @Option(names = "--serve", required = true, paramLabel = "URL",
            description = "A running server's prediction URL, e.g. http://127.0.0.1:8080/predictions/city.")
    URI url;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image every request posts.")
    Path image;

    @Option(names = "--concurrency", paramLabel = "N,N,...", split = ",", defaultValue = "1,4,16",
            description = "Clients at once, one level after the other (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s",
            description = "How long each level runs: 30s, 2m, 500ms (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--requests", paramLabel = "N",
            description = "Stop each level after N requests (if the duration is not up before).")
    Long requests;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The server's token (first line).")
    Path tokenFile;

    int run(PrintWriter out, boolean json) throws IOException, InterruptedException {
        if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException("--image " + image + ": no such file");
        }
        if (!"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("--serve must be an http:// URL, got " + url);
        }
        Duration d = duration(duration);
        String token = ServeCommand.token(tokenFile);
        LoadTest test = new LoadTest(url, Files.readAllBytes(image), token);
        out.printf(Locale.ROOT, "load test of %s with %s, %s per level%s%n", url, image, duration,
                requests == null ? "" : " or " + requests + " requests");
        out.printf(Locale.ROOT, "%-11s %9s %9s %9s %9s %8s %12s  %s%n", "concurrency", "requests", "img/s",
                "ms p50", "ms p99", "errors", "server MiB", "statuses");
        out.flush();
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int c : concurrency) {
            LoadTest.Level l = test.run(c, d, requests == null ? Long.MAX_VALUE : requests);
            double rssMb = test.serverResidentBytes(url) / (double) (1 << 20);
            out.printf(Locale.ROOT, "%-11d %9d %9.2f %9.1f %9.1f %8d %12.0f  %s%n", c, l.requests(),
                    l.ok200PerSecond(), l.p50Ms(), l.p99Ms(), l.errors(), rssMb, l.statuses());
            out.flush();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("concurrency", c);
            o.put("requests", l.requests());
            o.put("seconds", l.seconds());
            o.put("images_per_s", l.ok200PerSecond());
            o.put("ms_p50", l.p50Ms());
            o.put("ms_p99", l.p99Ms());
            o.put("errors", l.errors());
            Map<String, Long> statuses = new LinkedHashMap<>();
            l.statuses().forEach((k, v) -> statuses.put(String.valueOf(k), v));
            o.put("statuses", statuses);
            o.put("server_rss_mb", rssMb);
            levels.add(o);
        }
        if (json) {
            out.println(Json.line(Map.of("levels", levels)));
        }
        out.flush();
        return 0;
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration must look like 30s, 2m or 500ms, got '" + text + "'");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            default -> v * 1000;
        };
        if (ms < 1) {
            throw new IllegalArgumentException("--duration must be at least 1ms, got '" + text + "'");
        }
        return Duration.ofMillis((long) ms);
    }
}
