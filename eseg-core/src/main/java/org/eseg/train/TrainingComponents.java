package org.eseg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.eseg.data.ClassInfo;
import org.eseg.model.EsegConfig;
import org.eseg.model.EsegModel;
import org.eseg.model.EsegVariants;
import org.eseg.model.io.ModelFile;
import org.eseg.model.layers.BatchNormSpec;
import org.eseg.model.pretrained.BackboneWeights;
import org.eseg.train.checkpoint.Checkpoint;
import org.eseg.train.checkpoint.TrainState;
import org.eseg.train.loss.CrossEntropyLoss;
import org.eseg.train.loss.OhemCrossEntropyLoss;
import org.eseg.train.loss.SegmentationLoss;
import org.eseg.train.optim.Sgd;
import org.eseg.train.schedule.CosineSchedule;

/**
 * What a run trains with, built from its options in one place: the model (and, with an EMA, a second model that
 * holds the averaged weights for validation and the saved file), the loss, the optimiser, the EMA and the
 * learning-rate schedule. It also saves them into a checkpoint and restores them from one, so that the two stay
 * in step.
 *
 * @param model the model the optimiser updates
 * @param evalModel with an EMA, the model holding the averaged weights; otherwise null
 * @param sgd the optimiser
 * @param ema the weight average, or null
 * @param loss the training loss
 * @param schedule the learning rate at each step
 * @param totalSteps the step the run ends at
 * @param initShape the shape the models were initialised for (one crop)
 */
record TrainingComponents(EsegModel model, EsegModel evalModel, Sgd sgd, Ema ema, SegmentationLoss loss,
        CosineSchedule schedule, long totalSteps, Shape initShape) implements AutoCloseable {

    /** The first warm-up step's learning rate, as a fraction of the base rate. */
    private static final double WARMUP_START = 0.1;

    /**
     * Builds everything a run trains with. A new run's model starts from the imported backbone weights or another
     * run when the options name them; a resumed run's model has its checkpoint's architecture (its weights come
     * from {@link #restore}).
     *
     * @param options the settings
     * @param data the run's data (its class count and batches per epoch)
     * @param resumeFrom the checkpoint a resumed run continues from, or null
     * @param manager owns the parameters
     * @param listener told where initial weights came from
     * @return the components
     * @throws IOException if initial weights cannot be read
     */
    static TrainingComponents build(TrainOptions options, TrainingData data, Checkpoint resumeFrom, NDManager manager,
            TrainingListener listener) throws IOException {
        return build(options, data.train().classes().size(), data.loader().batchesPerEpoch(), resumeFrom, manager,
                listener);
    }

    /**
     * Builds everything a run trains with, for a class count and epoch length given directly (a benchmark on
     * random batches has no dataset).
     *
     * @param classes the classes the model predicts
     * @param batchesPerEpoch the loader's batches per epoch (used when the options count epochs)
     */
    static TrainingComponents build(TrainOptions options, int classes, long batchesPerEpoch, Checkpoint resumeFrom,
            NDManager manager, TrainingListener listener) throws IOException {
        EsegConfig config = modelConfig(options, classes, resumeFrom);
        Shape initShape = new Shape(1, 3, options.cropHeight(), options.cropWidth());
        EsegModel model = EsegModel.create(config);
        model.initialize(manager, DataType.FLOAT32, initShape);
        if (resumeFrom == null && options.backboneWeights() != null) {
            BackboneWeights.loadInto(model, Path.of(options.backboneWeights()));
            listener.message("backbone initialised from " + options.backboneWeights());
        }
        if (resumeFrom == null && options.initFrom() != null) {
            Pretrained.initFrom(model, Path.of(options.initFrom()), manager, listener);
        }
        Sgd sgd = Sgd.builder()
                .setParameters(model.getParameters())
                .optMomentum(options.momentum())
                .optWeightDecay(options.weightDecay())
                .optExcludeNormAndBias(options.noDecayNormBias())
                .optMaxGradNorm(options.gradClip())
                .build();
        Ema ema = options.emaDecay() > 0
                ? Ema.builder().setParameters(model.getParameters()).setDecay(options.emaDecay()).optWarmup(true).build()
                : null;
        EsegModel evalModel = ema == null ? model : EsegModel.create(config);
        if (ema != null) {
            evalModel.initialize(manager, DataType.FLOAT32, initShape);
        }
        SegmentationLoss loss = options.ohem()
                ? OhemCrossEntropyLoss.builder()
                        .setMinKept(options.effectiveOhemMinKept())
                        .optThreshold(options.ohemThreshold())
                        .optMinKeptPerImage(false)
                        .build()
                : new CrossEntropyLoss();
        long totalSteps = options.steps() > 0 ? options.steps() : options.epochs() * batchesPerEpoch;
        CosineSchedule schedule = new CosineSchedule(options.lr(), totalSteps,
                Math.min(options.warmupSteps(), totalSteps), WARMUP_START);
        return new TrainingComponents(model, evalModel, sgd, ema, loss, schedule, totalSteps, initShape);
    }

    private static EsegConfig modelConfig(TrainOptions options, int classes, Checkpoint resumeFrom)
            throws IOException {
        if (resumeFrom != null) {
            return resumeFrom.config();
        }
        EsegConfig c = EsegVariants.byName(options.model()).withClasses(classes);
        if (options.backboneWeights() != null) {
            // The encoder must match the imported weights (checked up front), BatchNorm eps included
            // (torchvision: 1e-5).
            c = c.withBatchNorm(BackboneWeights.readInfo(Path.of(options.backboneWeights())).batchNorm());
        }
        if (options.dropPath() != null) {
            c = c.withBackbone(c.backbone().withDropPath(options.dropPath()));
        }
        if (options.bnMomentum() != null) {
            c = c.withBatchNorm(new BatchNormSpec(c.batchNorm().eps(), options.bnMomentum()));
        }
        return c;
    }

    /** After an optimiser step: moves the EMA (if any) towards the new weights. */
    void updateAverage() {
        if (ema != null) {
            ema.update();
        }
    }

    /**
     * The weights to validate and save: the EMA's when the run keeps one (copied in now), else the trained ones.
     *
     * @return the model holding them
     */
    EsegModel evaluationModel() {
        if (ema != null) {
            ema.copyTo(evalModel);
        }
        return evalModel;
    }

    /**
     * Restores the trained weights, the momentum buffers and the EMA from a checkpoint.
     *
     * @param c the checkpoint
     * @param manager for temporaries
     * @param source names the checkpoint in errors
     * @throws IOException if the checkpoint does not fit the model
     */
    void restore(Checkpoint c, NDManager manager, String source) throws IOException {
        ModelFile.loadInto(model, c.trainWeights(), manager, source);
        try (NDManager tmp = manager.newSubManager()) {
            sgd.importState(NDList.decode(tmp, c.optimizerState()));
            if (ema != null) {
                ema.importState(NDList.decode(tmp, c.emaState()));
            }
        }
    }

    /**
     * Everything {@link #restore} needs, with the run's state.
     *
     * @param classes the classes the model predicts
     * @param state the step, loader position and options
     * @param manager for temporaries
     * @return the checkpoint (not yet written)
     * @throws IOException if the state cannot be encoded
     */
    Checkpoint checkpoint(ClassInfo classes, TrainState state, NDManager manager) throws IOException {
        EsegModel weights = evaluationModel();
        byte[] emaState = new byte[0];
        byte[] optimizer;
        try (NDManager tmp = manager.newSubManager()) {
            optimizer = encode(sgd.exportState(tmp));
            if (ema != null) {
                emaState = encode(ema.exportState(tmp));
            }
        }
        return new Checkpoint(model.config(), classes, state, ModelFile.encode(weights), ModelFile.encode(model),
                emaState, optimizer);
    }

    private static byte[] encode(NDList list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.encode(out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        sgd.close();
        if (ema != null) {
            ema.close();
        }
    }
}
