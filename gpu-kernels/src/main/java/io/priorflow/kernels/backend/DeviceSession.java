package io.priorflow.kernels.backend;

/**
 * What every training graph kept on a device has in common, whatever the model: the weights, gradients and AdamW
 * moments live in device memory for the whole session, the last update's gradient norm can be read, and the state
 * comes back to the host only when asked. The model-specific part, one execution of the graph on a chunk of a batch,
 * is in {@link DeviceTrainer} (the token MLP) and {@link DeviceTransformerTrainer} (the transformer).
 */
public interface DeviceSession extends AutoCloseable {

  /** The global gradient norm before clipping, of the last run with update. */
  double lastGradNorm();

  /** Copies the device's weights and AdamW moments into these arrays, in parameter order. */
  void download(float[][] params, float[][] m, float[][] v);

  /** Frees the device memory (or hands the compiled graph back to its backend for the next session). */
  @Override
  void close();
}
