package org.eseg.spark;

import java.util.concurrent.Callable;

/**
 * Runs work on a thread with a large stack. Under Spark, ONNX Runtime crashed the JVM with a segmentation fault on
 * threads with the JVM's default 1 MB stack, both running ESeg-Lite-S at 256x512 in an executor task and building
 * the session on the driver; with a 64 MB stack (-Xss64m) the same jobs ran. Tasks and model loading therefore run
 * on a thread of their own, whose stack is only reserved, not used, beyond what the native code touches.
 */
final class LargeStack {

    /** Stack size of the segmenting thread. */
    static final long STACK_BYTES = 256L << 20;

    private LargeStack() {}

    /**
     * Runs a call on a new thread with a {@link #STACK_BYTES} stack and waits for it.
     *
     * @param work the call
     * @param <T> its result
     * @return its result
     * @throws Exception what the call threw (an error as itself)
     */
    static <T> T call(Callable<T> work) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = work.call();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, Thread.currentThread().getName() + "-eseg", STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            // Spark kills a task by interrupting its thread; the segmenting thread is told too.
            t.interrupt();
            Thread.currentThread().interrupt();
            throw e;
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }
}
