package org.eseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eseg.data.io.PixelLimit;
import org.eseg.infer.Segmenter;
import org.eseg.serve.EsegServer;
import org.eseg.serve.ServeOptions;
import org.eseg.serve.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eseg serve}: an HTTP server for trained models, with a web page to try them. */
@Command(name = "serve",
        description = {
            "Serve models over HTTP until SIGTERM or Ctrl-C (then the accepted requests are answered before it",
            "exits). GET / is a web page to try the models; the API is GET /ping, GET /models,",
            "POST /predictions/NAME (image bytes or a multipart field 'image'; ?output=labels|color|overlay|json)",
            "and GET /metrics (Prometheus). Models are loaded once at start; see docs/serve.md.",
        },
        footer = {"", "Examples:",
            "  eseg serve --model city=runs/city",
            "  eseg serve --model city=runs/city/latest.eseg --runtime onnx --workers 2 --port 9000",
            "  eseg serve --model a=a.eseg --model b=b.eseg --host 0.0.0.0 --token-file secret.txt"})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME=PATH",
            description = "A model to serve under NAME: a model file, checkpoint or run folder. Repeatable.")
    Map<String, Path> models = new LinkedHashMap<>();

    @Mixin
    RuntimeMixin engine;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Images segmented at once (default 0: one per core, each on cores / workers intra-op "
                    + "threads unless --threads says otherwise).")
    int workers;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "100",
            description = "Requests waiting for a worker; more are answered 503 (default ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body-mb", paramLabel = "N", defaultValue = "64",
            description = "Largest request body in MiB; larger ones are answered 413 (default ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Mixin
    PixelLimitMixin pixels;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer TOKEN' on the API, TOKEN being this file's first line.")
    Path tokenFile;

    @Option(names = "--cors", paramLabel = "ORIGIN",
            description = "Let pages from ORIGIN (e.g. https://example.org) call the API (default: none).")
    String cors;

    @Override
    public Integer call() throws IOException {
        if (maxBodyMb < 1) {
            throw new IllegalArgumentException("--max-body-mb must be at least 1, got " + maxBodyMb);
        }
        ServeOptions options;
        try {
            options = new ServeOptions(host, port, workers, maxQueue, (long) maxBodyMb << 20, token(tokenFile),
                    cors, ServeOptions.DEFAULT.drainTimeout());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eseg serve: " + e.getMessage(), e);
        }
        // Workers side by side share the cores: each one's intra-op threads default to its share of them.
        engine.threads.defaultTo(Math.max(1, Runtime.getRuntime().availableProcessors() / options.workers()));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (options.token() == null && !InetAddress.getByName(host).isLoopbackAddress()) {
            err.println("eseg serve: warning: listening on " + host + " without --token-file: anyone who can reach "
                    + "this port can use the models");
        }
        List<Segmenter> open = new ArrayList<>();
        try (PixelLimit.Restore limit = pixels.apply()) {
            List<ServedModel> served = new ArrayList<>();
            for (Map.Entry<String, Path> m : models.entrySet()) {
                if (!ServedModel.validName(m.getKey())) {
                    throw new IllegalArgumentException("--model " + m.getKey() + "=...: a name is 1 to 64 letters, "
                            + "digits, '.', '-' or '_'");
                }
                Segmenter s = engine.open(m.getValue());
                open.add(s);
                served.add(new ServedModel(m.getKey(), s));
            }
            EsegServer server = EsegServer.start(served, options);
            server.stopOnSignals();
            out.println("eseg serve: " + String.join(", ", models.keySet()) + " on " + server.uri()
                    + " (open it in a browser; SIGTERM or Ctrl-C stops); " + options.workers() + " worker(s)");
            out.flush();
            server.awaitStopped();
            out.println("eseg serve: stopped");
            out.flush();
        } finally {
            open.forEach(Segmenter::close);
        }
        return 0;
    }

    /** The first line of a token file, or null for no file. */
    static String token(Path tokenFile) throws IOException {
        if (tokenFile == null) {
            return null;
        }
        if (!Files.isRegularFile(tokenFile)) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": no such file");
        }
        String token = Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": the first line (the token) is empty");
        }
        return token;
    }
}
