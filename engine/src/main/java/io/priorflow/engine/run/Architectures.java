package io.priorflow.engine.run;

import io.priorflow.engine.lineage.Architecture;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A model's {@link Architecture} for lineage.json, read off the model itself: its config and parameter count. */
final class Architectures {
  private Architectures() {}

  static Architecture of(TokenModel m) {
    TokenModelConfig c = m.config();
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("context", c.context());
    if (c.isTransformer()) {
      shape.put("width", c.embedDim());
      shape.put("layers", c.layers());
      shape.put("heads", c.heads());
      shape.put("mlpWidth", c.hidden().get(0));
    } else {
      shape.put("embedDim", c.embedDim());
      shape.put("hidden", c.hidden());
      shape.put("activation", lower(c.activation()));
    }
    return new Architecture(lower(c.family()), lower(c.head()), m.parameterCount(), c.vocab(), shape);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
