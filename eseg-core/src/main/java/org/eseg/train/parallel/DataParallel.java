package org.eseg.train.parallel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.eseg.model.EsegModel;
import org.eseg.train.loss.ForwardLoss;
import org.eseg.train.loss.SegmentationLoss;
import org.eseg.util.NoGrad;
import org.eseg.util.Tensors;

/**
 * Synchronous data parallelism in one process, as PyTorch's DataParallel/DDP do it: the master model
 * lives on the first device and one replica on each further device. A step splits the batch into one
 * shard per device, runs forward and backward on every replica, and sums the gradients into the
 * master (each shard's loss weighted by its share of the batch, so the result is the gradient of the
 * batch-mean loss when every shard has the same number of valid pixels). The optimizer then updates
 * the master alone and {@link #broadcast()} copies its weights and BatchNorm statistics back to the
 * replicas (BatchNorm statistics are per shard, like DDP without SyncBatchNorm).
 *
 * <p>Shards run one after another from the calling thread; on GPUs the kernels of different devices
 * still overlap, since launches do not wait for the device. Two replicas may share a device (used to
 * test this class on CPU).
 */
public final class DataParallel implements AutoCloseable {

    /** One extra copy of the model on one device. */
    private record Replica(Device device, NDManager manager, EsegModel model, List<NDArray> params) {}

    private final List<Device> devices;
    private final EsegModel master;
    private final List<NDArray> masterParams;
    private final List<Replica> replicas = new ArrayList<>();

    private DataParallel(EsegModel master, List<Device> devices) {
        this.master = master;
        this.devices = List.copyOf(devices);
        this.masterParams = arrays(master);
    }

    /**
     * The devices to train on when the user names none: every visible GPU, else the CPU alone.
     *
     * @return one device per replica
     */
    public static List<Device> visibleDevices() {
        Device[] gpus = Engine.getInstance().getDevices();
        return gpus.length == 0 ? List.of(Device.cpu()) : List.of(gpus);
    }

    /**
     * Checks that every named GPU is one the engine sees, so a typo fails before any data is read, naming the
     * device rather than surfacing as a CUDA error from deep inside the engine.
     *
     * @param devices the devices the user named
     * @return the same list
     * @throws IllegalArgumentException naming the first GPU that is not visible
     */
    public static List<Device> checkVisible(List<Device> devices) {
        int gpus = Engine.getInstance().getGpuCount();
        for (Device d : devices) {
            if (d.isGpu() && d.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("devices: gpu" + d.getDeviceId() + " is not visible; "
                        + (gpus == 0 ? "DJL's " + Engine.getInstance().getEngineName() + " engine sees no GPU"
                                : "the visible GPUs are gpu0 to gpu" + (gpus - 1))
                        + " (use cpu, or check CUDA_VISIBLE_DEVICES and the CUDA build of the native library)");
            }
        }
        return devices;
    }

    /**
     * Builds replicas of an initialised master model on the devices after the first.
     *
     * @param master the model the optimizer updates; it must live on {@code devices.get(0)}
     * @param devices at least two devices (repeats allowed)
     * @param initShape an input shape to initialise the replicas with
     * @return the data-parallel wrapper; close it to free the replicas
     */
    public static DataParallel create(EsegModel master, List<Device> devices, Shape initShape) {
        if (devices.size() < 2) {
            throw new IllegalArgumentException("data parallelism needs at least two devices, got " + devices);
        }
        DataParallel dp = new DataParallel(master, devices);
        try {
            for (Device d : devices.subList(1, devices.size())) {
                NDManager m = NDManager.newBaseManager(d);
                EsegModel replica = EsegModel.create(master.config());
                replica.initialize(m, DataType.FLOAT32, initShape);
                dp.replicas.add(new Replica(d, m, replica, arrays(replica)));
            }
            dp.broadcast();
            return dp;
        } catch (RuntimeException e) {
            dp.close();
            throw e;
        }
    }

    /**
     * The devices, master first.
     *
     * @return the devices
     */
    public List<Device> devices() {
        return devices;
    }

    /**
     * Forward and backward of one batch across all devices. Afterwards the master's gradients hold the
     * gradient of the shard-size-weighted mean loss; the replicas' gradients are zero again.
     *
     * @param images (N, 3, H, W) on the master's device, N at least the number of devices
     * @param labels (N, H, W) on the master's device
     * @param loss the loss
     * @param params forward parameters (e.g. the drop-path seed), the same for every shard
     * @return the weighted mean loss (NaN or infinite if any shard's is; then nothing was back-propagated)
     */
    public float forwardBackward(NDArray images, NDArray labels, SegmentationLoss loss,
            PairList<String, Object> params) {
        long n = images.getShape().get(0);
        int k = devices.size();
        if (n < k) {
            throw new IllegalArgumentException("a batch of " + n + " images cannot be split over " + k
                    + " devices; use a batch of " + k + " or more");
        }
        NDManager stepManager = images.getManager();
        double total = 0;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            List<NDArray> losses = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                long from = n * i / k;
                long to = n * (i + 1) / k;
                NDIndex shard = new NDIndex("{}:{}", from, to);
                NDManager m = i == 0 ? stepManager : stepManager.newSubManager(devices.get(i));
                NDArray x = images.get(shard).toDevice(devices.get(i), true);
                NDArray y = labels.get(shard).toDevice(devices.get(i), true);
                x.attach(m);
                y.attach(m);
                EsegModel model = i == 0 ? master : replicas.get(i - 1).model();
                losses.add(ForwardLoss.compute(model, loss, new ParameterStore(m, false), x, y, params));
                shares.add((double) (to - from) / n);
            }
            float[] values = new float[k];
            for (int i = 0; i < k; i++) {
                values[i] = losses.get(i).getFloat();
                total += shares.get(i) * values[i];
            }
            if (!Double.isFinite(total)) {
                return (float) total;
            }
            for (int i = 0; i < k; i++) {
                gc.backward(losses.get(i).mul(shares.get(i).floatValue()));
            }
        }
        reduceGradients();
        return (float) total;
    }

    /** Adds every replica's gradients into the master's and zeroes them. */
    private void reduceGradients() {
        try (NoGrad g = NoGrad.enter()) {
            for (int p = 0; p < masterParams.size(); p++) {
                NDArray w = masterParams.get(p);
                if (!w.hasGradient()) {
                    continue;
                }
                try (NDArray sum = w.getGradient()) {
                    for (Replica r : replicas) {
                        if (!r.params().get(p).hasGradient()) {
                            continue;
                        }
                        try (NDArray grad = r.params().get(p).getGradient();
                                NDArray moved = grad.toDevice(devices.get(0), true)) {
                            sum.addi(moved);
                            grad.set(new NDIndex("..."), 0);
                        }
                    }
                }
            }
        }
    }

    /** Copies the master's parameters (weights and BatchNorm statistics) to every replica. */
    public void broadcast() {
        try (NoGrad g = NoGrad.enter()) {
            for (Replica r : replicas) {
                for (int p = 0; p < masterParams.size(); p++) {
                    try (NDArray moved = masterParams.get(p).toDevice(r.device(), true)) {
                        Tensors.assign(r.params().get(p), moved);
                    }
                }
            }
        }
    }

    /**
     * The parameter arrays of a replica, in the master's order (for tests and inspection).
     *
     * @param replica 1 .. devices - 1
     * @return the arrays (owned by the replica)
     */
    public List<NDArray> replicaParameters(int replica) {
        return replicas.get(replica - 1).params();
    }

    private static List<NDArray> arrays(EsegModel model) {
        List<NDArray> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            out.add(p.getValue().getArray());
        }
        return out;
    }

    @Override
    public void close() {
        for (Replica r : replicas) {
            r.manager().close();
        }
        replicas.clear();
    }
}
