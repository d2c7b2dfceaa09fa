package org.eseg.serve;

import java.nio.file.Path;
import java.util.List;
import org.eseg.infer.Segmenter;

/** A server in its own JVM for {@link SigtermDrainTest}: serves one model until SIGTERM, then exits 0. */
public final class ServeChild {

    private ServeChild() {}

    /**
     * Serves a model file as {@code m} on a free port and prints {@code port N} when listening.
     *
     * @param args the model file
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        try (Segmenter s = Segmenter.load(Path.of(args[0]))) {
            EsegServer server = EsegServer.start(List.of(new ServedModel("m", s)),
                    ServeOptions.DEFAULT.withAddress("127.0.0.1", 0));
            server.stopOnSignals();
            System.out.println("port " + server.address().getPort());
            System.out.flush();
            server.awaitStopped();
            System.out.println("stopped");
        }
        System.exit(0);
    }
}
