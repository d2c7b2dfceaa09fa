package org.eseg.util;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Exclusive ownership of a folder between processes: an OS lock on {@value #FILE_NAME} inside it, which also
 * records who holds it (pid, host, start time) so that a second owner is refused naming the first.
 *
 * <p>The OS drops the lock when its process ends, however it ends. A lock file that still names a holder while
 * nobody holds the lock was therefore left by a process that died; {@link #acquire} takes it over and reports it
 * ({@link #stale()}). On {@link #close()} the file is emptied but kept: deleting it would let a process that had
 * opened the old file lock it while a third locks a new one at the same path.
 *
 * <p>POSIX locks belong to the process and closing any descriptor of the file drops them, so this JVM never opens
 * a folder's lock file while it holds it; it answers from a table of the locks it holds instead.
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file inside the folder. */
    public static final String FILE_NAME = ".lock";

    /** The locks this JVM holds, by real folder path (guarded by the class). */
    private static final Map<Path, FolderLock> HELD = new HashMap<>();

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder holder;
    private final Holder stale;

    /**
     * Who holds (or held) a lock.
     *
     * @param pid the process id (-1 if unknown)
     * @param host the host name (empty if unknown)
     * @param started when the lock was taken (null if unknown)
     */
    public record Holder(long pid, String host, Instant started) {

        static Holder current() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "";
            }
            return new Holder(ProcessHandle.current().pid(), host, Instant.now());
        }

        String toText() {
            return "pid=" + pid + "\nhost=" + host + "\nstarted=" + started + "\n";
        }

        static Holder parse(String text) {
            long pid = -1;
            String host = "";
            Instant started = null;
            for (String line : text.split("\\R")) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = line.substring(0, eq).trim();
                String v = line.substring(eq + 1).trim();
                try {
                    switch (k) {
                        case "pid" -> pid = Long.parseLong(v);
                        case "host" -> host = v;
                        case "started" -> started = Instant.parse(v);
                        default -> { }
                    }
                } catch (NumberFormatException | DateTimeParseException e) {
                    // a hand-edited or torn file: keep what could be read
                }
            }
            return new Holder(pid, host, started);
        }

        /**
         * A short description for messages.
         *
         * @return e.g. {@code pid 4242 on host1, started 2026-12-02T16:46:07Z}
         */
        public String describe() {
            return (pid >= 0 ? "pid " + pid : "an unknown process") + (host.isEmpty() ? "" : " on " + host)
                    + (started == null ? "" : ", started " + started);
        }
    }

    /** Thrown when another process (or another task of this one) holds the lock. */
    public static final class LockedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Holder holder;

        LockedException(Path dir, Holder holder) {
            super(dir + " is in use by " + holder.describe() + "; wait for it to end or stop it first");
            this.holder = holder;
        }

        /**
         * Who holds the lock.
         *
         * @return the holder as recorded in the lock file
         */
        public Holder holder() {
            return holder;
        }
    }

    private FolderLock(Path dir, Path key, FileChannel channel, FileLock lock, Holder holder, Holder stale) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
        this.stale = stale;
    }

    /**
     * Takes the lock of an existing folder, or fails at once if someone holds it.
     *
     * @param dir the folder
     * @return the held lock; close it to release
     * @throws LockedException naming the holder if the folder is locked
     * @throws IOException if the lock file cannot be created or locked
     */
    public static synchronized FolderLock acquire(Path dir) throws IOException {
        Path key = dir.toRealPath();
        FolderLock mine = HELD.get(key);
        if (mine != null) {
            throw new LockedException(dir, mine.holder);
        }
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // taken by this JVM between the table check and here
            }
            if (lock == null) {
                FolderLock now = HELD.get(key);
                throw new LockedException(dir, now != null ? now.holder : Holder.parse(read(ch)));
            }
            String previous = read(ch);
            Holder me = Holder.current();
            byte[] text = me.toText().getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
            ch.force(true);
            FolderLock l = new FolderLock(dir, key, ch, lock, me, previous.isBlank() ? null : Holder.parse(previous));
            HELD.put(key, l);
            return l;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (e instanceof LockedException) {
                throw e;
            }
            throw new IOException("cannot lock " + file + " (" + e.getMessage() + ")", e);
        }
    }

    private static String read(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, 4096));
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // keep reading
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    /**
     * The holder a crashed process left in the lock file, which this lock took over.
     *
     * @return the dead holder, or null when the lock was free
     */
    public Holder stale() {
        return stale;
    }

    /**
     * The folder this lock owns.
     *
     * @return the folder
     */
    public Path dir() {
        return dir;
    }

    /** Empties the lock file and releases the lock. */
    @Override
    public void close() throws IOException {
        synchronized (FolderLock.class) {
            if (!channel.isOpen()) {
                return;
            }
            try {
                channel.truncate(0);
            } finally {
                try {
                    lock.release();
                } finally {
                    channel.close();
                    HELD.remove(key, this);
                }
            }
        }
    }
}
