package org.eseg.graph;

import java.util.Arrays;
import java.util.List;

/**
 * A network as a flat list of fused inference steps, ready for any runtime: value 0 is the image
 * (N, 3, H, W), {@link #output()} the logits (N, classes, H, W). Every value lives at a pyramid level
 * (its spatial size is ceil(H / 2^level) × ceil(W / 2^level)), which lets runtimes know sizes without
 * running the graph.
 */
public final class InferenceGraph {

    /** The id of the input image. */
    public static final int INPUT = 0;

    private final String name;
    private final int numClasses;
    private final List<Op> ops;
    private final int[] levels;
    private final int output;
    private final int[] channels;

    /**
     * Creates a graph; use {@link GraphBuilder}.
     *
     * @param name the model's name
     * @param numClasses logits channels
     * @param ops steps in execution order
     * @param levels the pyramid level of every value id
     * @param output the id of the logits
     */
    InferenceGraph(String name, int numClasses, List<Op> ops, int[] levels, int output) {
        this.name = name;
        this.numClasses = numClasses;
        this.ops = List.copyOf(ops);
        this.levels = levels.clone();
        this.output = output;
        this.channels = channelsOf(this.ops, levels.length);
    }

    /** Propagates channel counts from the image (3) through the ops. */
    private static int[] channelsOf(List<Op> ops, int values) {
        int[] c = new int[values];
        c[INPUT] = 3;
        for (Op op : ops) {
            if (op instanceof Op.Conv conv) {
                c[op.output()] = conv.weights().outChannels();
            } else if (op instanceof Op.Concat cat) {
                c[op.output()] = java.util.Arrays.stream(cat.maps()).map(m -> c[m]).sum();
            } else {
                c[op.output()] = c[op.inputs()[0]];
            }
        }
        return c;
    }

    /**
     * The channel count of a value.
     *
     * @param id value id
     * @return C of the (N, C, H, W) map
     */
    public int channels(int id) {
        return channels[id];
    }

    /**
     * The model's name.
     *
     * @return e.g. eseg-s
     */
    public String name() {
        return name;
    }

    /**
     * The number of output channels.
     *
     * @return classes
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * The steps in execution order.
     *
     * @return the ops
     */
    public List<Op> ops() {
        return ops;
    }

    /**
     * The number of value ids (input included).
     *
     * @return values
     */
    public int valueCount() {
        return levels.length;
    }

    /**
     * The pyramid level of a value.
     *
     * @param id value id
     * @return level: the map has stride 2^level
     */
    public int level(int id) {
        return levels[id];
    }

    /**
     * The id of the logits.
     *
     * @return output id
     */
    public int output() {
        return output;
    }

    /**
     * For every value, the index of the last op that reads it (-1 if none), so that runtimes can free
     * maps as soon as they are dead.
     *
     * @return last-use op index per value id
     */
    public int[] lastUses() {
        int[] last = new int[levels.length];
        Arrays.fill(last, -1);
        for (int i = 0; i < ops.size(); i++) {
            for (int in : ops.get(i).inputs()) {
                last[in] = i;
            }
        }
        return last;
    }

    /**
     * The spatial size of a map at a level, for an input of the given size.
     *
     * @param size input height or width
     * @param level the level
     * @return ceil(size / 2^level)
     */
    public static long sizeAt(long size, int level) {
        long s = size;
        for (int i = 0; i < level; i++) {
            s = (s + 1) / 2;
        }
        return s;
    }
}
