package io.priorflow.engine.metrics;

import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Token models with known outputs, built through the public model file: the output layer's weights are zero, so
 * the logits are its bias whatever the context. A token head then has the same next-token distribution
 * softmax(bias) at every position; a scalar head scores every sequence bias[0].
 */
final class HandModels {

  private HandModels() {}

  /** A tiny architecture over V tokens: window 4, embeddings 4 wide, one hidden layer of 8. */
  static TokenModelConfig tiny(int vocab) {
    return new TokenModelConfig(TokenModelConfig.Head.TOKEN, vocab, 4, 4, List.of(8),
        TokenModelConfig.Activation.TANH, 0);
  }

  /** A random tiny model (context-dependent), seeded. */
  static TokenModel random(int vocab, long seed) {
    return TokenModel.initialize(tiny(vocab), new SplittableRandom(seed));
  }

  /** A token model whose next-token logits are {@code logits} at every position. */
  static TokenModel constant(float[] logits) {
    return withOutputBias(tiny(logits.length), logits);
  }

  /** The uniform model over V tokens. */
  static TokenModel uniform(int vocab) {
    return constant(new float[vocab]);
  }

  /** A reward model (scalar head) that scores every sequence {@code score}. */
  static TokenModel constantReward(int vocab, float score) {
    return withOutputBias(tiny(vocab).withScalarHead(), new float[] {score});
  }

  private static TokenModel withOutputBias(TokenModelConfig cfg, float[] bias) {
    byte[] bytes = ModelFile.toBytes(TokenModel.initialize(cfg, new SplittableRandom(1)));
    int out = cfg.outputWidth();
    int body = bytes.length - 32;
    int biasAt = body - 4 * out; // out.b (nOut) is the last tensor, out.w (nOut, H_L) the one before
    int weightAt = biasAt - 4 * out * cfg.lastHidden();
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = weightAt; i < biasAt; i += 4) {
      buf.putFloat(i, 0f);
    }
    for (int i = 0; i < out; i++) {
      buf.putFloat(biasAt + 4 * i, bias[i]);
    }
    System.arraycopy(sha256(Arrays.copyOf(bytes, body)), 0, bytes, body, 32);
    return ModelFile.fromBytes(bytes, "hand-made model");
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
