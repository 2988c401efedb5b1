package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mixture weights over prompt kinds, normalised by their sum (the same under every tag). Missing fields take
 * {@link #defaults()}. Each weight is in [0, 1000] and their sum must be positive.
 *
 * @param fact       weight of fact questions; default 0.5
 * @param arithmetic weight of arithmetic; default 0.25
 * @param chat       weight of chit-chat; default 0.25
 */
public record PromptMix(double fact, double arithmetic, double chat) {

  /** fact 0.5, arithmetic 0.25, chat 0.25. */
  public static PromptMix defaults() {
    return new PromptMix(0.5, 0.25, 0.25);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static PromptMix of(
      @JsonProperty("fact") Double fact,
      @JsonProperty("arithmetic") Double arithmetic,
      @JsonProperty("chat") Double chat) {
    PromptMix d = defaults();
    return new PromptMix(
        fact != null ? fact : d.fact, arithmetic != null ? arithmetic : d.arithmetic, chat != null ? chat : d.chat);
  }

  /** The normalised probability of a kind. */
  public double probability(PromptKind kind) {
    double w = switch (kind) {
      case FACT -> fact;
      case ARITHMETIC -> arithmetic;
      case CHAT -> chat;
    };
    return w / (fact + arithmetic + chat);
  }

  /** Adds every range violation under the path prefix (e.g. "prompts."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "fact", fact, 0, 1000)
        .range(prefix + "arithmetic", arithmetic, 0, 1000)
        .range(prefix + "chat", chat, 0, 1000)
        .require(fact + arithmetic + chat > 0, prefix.isEmpty() ? "prompts" : prefix.substring(0, prefix.length() - 1),
            "weights must have a positive sum", fact + arithmetic + chat);
  }
}
