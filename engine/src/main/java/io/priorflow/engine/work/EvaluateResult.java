package io.priorflow.engine.work;

import java.util.Map;

/** The model's metrics, in MetricNames order. */
public record EvaluateResult(String id, Map<String, Double> metrics) implements WorkResult {}
