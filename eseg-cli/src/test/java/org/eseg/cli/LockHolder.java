package org.eseg.cli;

import java.nio.file.Path;
import org.eseg.util.FolderLock;

/**
 * A separate process that holds a folder's lock until its standard input closes (or it is killed), so that
 * tests see the lock as another process holds it.
 */
final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FolderLock lock = FolderLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our input
            }
        }
    }
}
