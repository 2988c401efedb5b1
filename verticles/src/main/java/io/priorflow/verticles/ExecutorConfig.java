package io.priorflow.verticles;

import io.priorflow.engine.scenario.ActorsSpec;
import io.priorflow.engine.work.Role;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the director's {@link EventBusExecutor} waits and retries. None of it changes results (items are idempotent
 * and results are ordered by id), only how soon a lost item is sent again and how hard the bus is pushed.
 *
 * @param timeouts    per role, how long to wait for a reply before sending the item again
 * @param maxInFlight per role, how many items may await a reply at once within one stage
 * @param maxAttempts how many times an item is sent before the stage fails (1 = no retry)
 * @param retryDelay  the pause before re-sending an item that found no actor listening
 */
public record ExecutorConfig(Map<Role, Duration> timeouts, Map<Role, Integer> maxInFlight, int maxAttempts,
                             Duration retryDelay) {
  /** Time-out of every role but the trainer's. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** Time-out of the trainer: one item is a whole training run. */
  public static final Duration TRAINER_TIMEOUT = Duration.ofMinutes(30);
  /** Attempts per item by default. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Pause before re-sending an item that found no actor. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  /** Items in flight per actor of the role: one being performed, one waiting, so no actor idles between items. */
  public static final int IN_FLIGHT_PER_ACTOR = 2;

  /** Copies the maps and checks that every role has a positive time-out and in-flight limit. */
  public ExecutorConfig {
    timeouts = complete("timeouts", timeouts);
    maxInFlight = complete("maxInFlight", maxInFlight);
    for (Role r : Role.values()) {
      if (timeouts.get(r).isNegative() || timeouts.get(r).toMillis() < 1) {
        throw new IllegalArgumentException("timeouts." + r.key() + " must be at least 1 ms, was " + timeouts.get(r));
      }
      if (maxInFlight.get(r) < 1) {
        throw new IllegalArgumentException("maxInFlight." + r.key() + " must be ≥ 1, was " + maxInFlight.get(r));
      }
    }
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be ≥ 1, was " + maxAttempts);
    if (retryDelay == null || retryDelay.isNegative()) {
      throw new IllegalArgumentException("retryDelay must be ≥ 0, was " + retryDelay);
    }
  }

  /**
   * The defaults for these actor counts (the whole run's, over all nodes): {@link #defaultTimeout} per role,
   * {@link #IN_FLIGHT_PER_ACTOR} items in flight per actor, {@link #DEFAULT_MAX_ATTEMPTS} attempts,
   * {@link #DEFAULT_RETRY_DELAY} before re-sending to a role with no actor listening.
   */
  public static ExecutorConfig forActors(Map<Role, Integer> actorCounts) {
    Map<Role, Duration> t = new EnumMap<>(Role.class);
    Map<Role, Integer> f = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      t.put(r, defaultTimeout(r));
      f.put(r, IN_FLIGHT_PER_ACTOR * Math.max(1, actorCounts.getOrDefault(r, 1)));
    }
    return new ExecutorConfig(t, f, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY);
  }

  /** {@link #forActors(Map)} with the scenario's counts ({@link ActorNode#counts}). */
  public static ExecutorConfig forActors(ActorsSpec actors) {
    return forActors(ActorNode.counts(actors));
  }

  /** {@link #TRAINER_TIMEOUT} for the trainer, {@link #DEFAULT_TIMEOUT} for every other role. */
  public static Duration defaultTimeout(Role role) {
    return role == Role.TRAINER ? TRAINER_TIMEOUT : DEFAULT_TIMEOUT;
  }

  /** The time-out of the role's requests. */
  public Duration timeout(Role role) {
    return timeouts.get(role);
  }

  /** The in-flight limit of the role. */
  public int maxInFlight(Role role) {
    return maxInFlight.get(role);
  }

  /** The same, with this time-out for every role. */
  public ExecutorConfig withTimeout(Duration timeout) {
    Map<Role, Duration> t = new EnumMap<>(Role.class);
    for (Role r : Role.values()) t.put(r, timeout);
    return new ExecutorConfig(t, maxInFlight, maxAttempts, retryDelay);
  }

  /** The same, with this time-out for one role. */
  public ExecutorConfig withTimeout(Role role, Duration timeout) {
    Map<Role, Duration> t = new EnumMap<>(timeouts);
    t.put(role, timeout);
    return new ExecutorConfig(t, maxInFlight, maxAttempts, retryDelay);
  }

  /** The same, with these in-flight limits per role (every role must be given). */
  public ExecutorConfig withMaxInFlight(Map<Role, Integer> limits) {
    return new ExecutorConfig(timeouts, limits, maxAttempts, retryDelay);
  }

  /** The same, with this number of attempts per item. */
  public ExecutorConfig withMaxAttempts(int attempts) {
    return new ExecutorConfig(timeouts, maxInFlight, attempts, retryDelay);
  }

  /** The same, with this pause before re-sending to a role with no actor listening. */
  public ExecutorConfig withRetryDelay(Duration delay) {
    return new ExecutorConfig(timeouts, maxInFlight, maxAttempts, delay);
  }

  private static <V> Map<Role, V> complete(String name, Map<Role, V> m) {
    if (m == null) throw new IllegalArgumentException(name + " must give every role, was null");
    EnumMap<Role, V> copy = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      V v = m.get(r);
      if (v == null) throw new IllegalArgumentException(name + " must give every role, " + r.key() + " is missing");
      copy.put(r, v);
    }
    return Collections.unmodifiableMap(copy);
  }
}
