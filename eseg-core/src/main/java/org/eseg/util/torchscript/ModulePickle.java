package org.eseg.util.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the {@code data.pkl} of a TorchScript archive: one module object whose attributes are float
 * tensors, in the pickle protocol 2 subset that libtorch's unpickler reads. Each tensor is
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)} where the
 * storage is a persistent id naming the archive entry {@code data/<key>} that holds its bytes.
 */
public final class ModulePickle {

    /**
     * One tensor attribute: its name, its storage key and its geometry.
     *
     * @param name the attribute name
     * @param storageKey the archive entry {@code data/<key>} holding its bytes
     * @param numel its element count
     * @param size its shape
     * @param stride its strides, in elements
     */
    public record TensorRef(String name, String storageKey, long numel, long[] size, long[] stride) {}

    // Opcodes of pickle protocol 2 (Lib/pickletools.py names them).
    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int BINUNICODE = 'X';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int TUPLE = 't';
    private static final int BINPERSID = 'Q';
    private static final int NEWFALSE = 0x89;
    private static final int REDUCE = 'R';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int STOP = '.';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ModulePickle() {}

    /**
     * Pickles a module object.
     *
     * @param qualifiedClass the TorchScript class, e.g. {@code __torch__.EsegNet}
     * @param tensors its tensor attributes, in order
     * @return the pickle bytes
     */
    public static byte[] module(String qualifiedClass, List<TensorRef> tensors) {
        ModulePickle p = new ModulePickle();
        int dot = qualifiedClass.lastIndexOf('.');
        p.op(PROTO).op(2);
        p.global(qualifiedClass.substring(0, dot), qualifiedClass.substring(dot + 1));
        p.op(EMPTY_TUPLE).op(NEWOBJ).op(EMPTY_DICT).op(MARK);
        for (TensorRef t : tensors) {
            p.string(t.name());
            p.tensor(t);
        }
        p.string("training");
        p.op(NEWFALSE);
        p.op(SETITEMS).op(BUILD).op(STOP);
        return p.out.toByteArray();
    }

    /**
     * The pickle of an empty tuple: the archive's {@code constants.pkl} when the code has no tensor constants.
     *
     * @return the bytes
     */
    public static byte[] emptyTuple() {
        return new byte[] {(byte) PROTO, 2, (byte) EMPTY_TUPLE, (byte) STOP};
    }

    private void tensor(TensorRef t) {
        global("torch._utils", "_rebuild_tensor_v2");
        op(MARK);
        op(MARK);
        string("storage");
        global("torch", "FloatStorage");
        string(t.storageKey());
        string("cpu");
        integer(t.numel());
        op(TUPLE).op(BINPERSID);
        integer(0);
        tuple(t.size());
        tuple(t.stride());
        op(NEWFALSE);
        global("collections", "OrderedDict");
        op(EMPTY_TUPLE).op(REDUCE);
        op(TUPLE).op(REDUCE);
    }

    private void tuple(long[] values) {
        op(MARK);
        for (long v : values) {
            integer(v);
        }
        op(TUPLE);
    }

    private void integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op(BININT);
            le(v, 4);
        } else {
            op(LONG1).op(8);
            le(v, 8);
        }
    }

    private void global(String module, String name) {
        op(GLOBAL);
        ascii(module + "\n" + name + "\n");
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(BINUNICODE);
        le(b.length, 4);
        out.writeBytes(b);
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private ModulePickle op(int code) {
        out.write(code);
        return this;
    }
}
