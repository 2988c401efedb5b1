package io.priorflow.verticles.bus;

import io.priorflow.engine.work.Role;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Actor instance counts per role as messages carry them: an unmodifiable EnumMap (role order), no negative counts. */
final class RoleCounts {
  private RoleCounts() {}

  static Map<Role, Integer> copy(String field, Map<Role, Integer> counts) {
    if (counts == null) throw new IllegalArgumentException(field + " must be given, was null");
    EnumMap<Role, Integer> copy = new EnumMap<>(Role.class);
    counts.forEach((role, n) -> {
      if (role == null || n == null || n < 0) {
        throw new IllegalArgumentException(field + " must map roles to counts ≥ 0, found " + role + "=" + n);
      }
      copy.put(role, n);
    });
    return Collections.unmodifiableMap(copy);
  }

  static String require(String field, String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " must be given, was " + value);
    return value;
  }
}
