package org.eseg.infer.export.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builders for the onnx.proto messages the exporter needs, with the field numbers of
 * onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto,
 * TypeProto, TensorShapeProto, OperatorSetIdProto).
 */
final class Onnx {

    // ModelProto
    static final int MODEL_IR_VERSION = 1;
    static final int MODEL_PRODUCER_NAME = 2;
    static final int MODEL_PRODUCER_VERSION = 3;
    static final int MODEL_GRAPH = 7;
    static final int MODEL_OPSET_IMPORT = 8;
    // GraphProto
    static final int GRAPH_NODE = 1;
    static final int GRAPH_NAME = 2;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType values
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_STRING = 3;
    private static final int TYPE_INTS = 7;
    // TensorProto and its DataType values
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    static final int DT_FLOAT = 1;
    static final int DT_UINT8 = 2;
    static final int DT_INT8 = 3;
    static final int DT_INT32 = 6;
    static final int DT_INT64 = 7;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, Dimension
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;

    private Onnx() {}

    /** A node under construction: inputs, outputs, attributes. */
    static final class Node {
        private final ProtoMessage msg = new ProtoMessage();

        Node(String opType, String name) {
            msg.string(NODE_OP_TYPE, opType).string(NODE_NAME, name);
        }

        Node inputs(String... names) {
            for (String n : names) {
                msg.string(NODE_INPUT, n);
            }
            return this;
        }

        Node outputs(String... names) {
            for (String n : names) {
                msg.string(NODE_OUTPUT, n);
            }
            return this;
        }

        Node attr(String name, long value) {
            return attribute(new ProtoMessage().string(ATTR_NAME, name).int64(ATTR_TYPE, TYPE_INT)
                    .int64(ATTR_I, value));
        }

        Node attr(String name, float value) {
            return attribute(new ProtoMessage().string(ATTR_NAME, name).int64(ATTR_TYPE, TYPE_FLOAT)
                    .float32(ATTR_F, value));
        }

        Node attr(String name, String value) {
            return attribute(new ProtoMessage().string(ATTR_NAME, name).int64(ATTR_TYPE, TYPE_STRING)
                    .bytes(ATTR_S, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }

        Node attrInts(String name, long... values) {
            return attribute(new ProtoMessage().string(ATTR_NAME, name).int64(ATTR_TYPE, TYPE_INTS)
                    .int64s(ATTR_INTS, values));
        }

        private Node attribute(ProtoMessage a) {
            msg.message(NODE_ATTRIBUTE, a);
            return this;
        }

        ProtoMessage proto() {
            return msg;
        }
    }

    static ProtoMessage floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor(name, dims, DT_FLOAT, raw.array());
    }

    static ProtoMessage int64Tensor(String name, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return tensor(name, new long[] {values.length}, DT_INT64, raw.array());
    }

    /** A scalar (no dims) float tensor, e.g. a quantisation scale. */
    static ProtoMessage floatScalar(String name, float value) {
        return floatTensor(name, new long[0], new float[] {value});
    }

    /** A scalar uint8 tensor: an activation's zero point. */
    static ProtoMessage uint8Scalar(String name, int value) {
        return tensor(name, new long[0], DT_UINT8, new byte[] {(byte) value});
    }

    /** An int8 tensor, e.g. quantised weights or their zero points. */
    static ProtoMessage int8Tensor(String name, long[] dims, byte[] values) {
        return tensor(name, dims, DT_INT8, values.clone());
    }

    /** An int32 tensor, e.g. a quantised bias or its zero points. */
    static ProtoMessage int32Tensor(String name, long[] dims, int[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asIntBuffer().put(values);
        return tensor(name, dims, DT_INT32, raw.array());
    }

    private static ProtoMessage tensor(String name, long[] dims, int dataType, byte[] raw) {
        return new ProtoMessage().int64s(TENSOR_DIMS, dims).int64(TENSOR_DATA_TYPE, dataType)
                .string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw);
    }

    /**
     * A float tensor's name, type and shape.
     *
     * @param name value name
     * @param dims each a Long (fixed size) or a String (symbolic size)
     * @return the ValueInfoProto
     */
    static ProtoMessage floatValueInfo(String name, Object... dims) {
        ProtoMessage shape = new ProtoMessage();
        for (Object d : dims) {
            ProtoMessage dim = d instanceof Long v
                    ? new ProtoMessage().int64(DIM_VALUE, v)
                    : new ProtoMessage().string(DIM_PARAM, d.toString());
            shape.message(SHAPE_DIM, dim);
        }
        ProtoMessage tensorType = new ProtoMessage().int64(TENSOR_TYPE_ELEM_TYPE, DT_FLOAT)
                .message(TENSOR_TYPE_SHAPE, shape);
        ProtoMessage type = new ProtoMessage().message(TYPE_TENSOR_TYPE, tensorType);
        return new ProtoMessage().string(VALUE_INFO_NAME, name).message(VALUE_INFO_TYPE, type);
    }

    /**
     * A float tensor's name and type without a shape: the intermediate maps a calibration run reads.
     *
     * @param name value name
     * @return the ValueInfoProto
     */
    static ProtoMessage floatValueInfo(String name) {
        ProtoMessage tensorType = new ProtoMessage().int64(TENSOR_TYPE_ELEM_TYPE, DT_FLOAT);
        return new ProtoMessage().string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new ProtoMessage().message(TYPE_TENSOR_TYPE, tensorType));
    }

    static ProtoMessage opset(int version) {
        return new ProtoMessage().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, version);
    }
}
