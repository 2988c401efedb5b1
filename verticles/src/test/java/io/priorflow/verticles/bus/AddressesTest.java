package io.priorflow.verticles.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.work.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressesTest {

  @Test
  void roleAddressesAreDottedLowerCaseKeys() {
    assertEquals(List.of("pf.role.generator", "pf.role.critic", "pf.role.human", "pf.role.trainer",
            "pf.role.evaluator", "pf.role.red_teamer"),
        List.of(Addresses.GENERATOR, Addresses.CRITIC, Addresses.HUMAN, Addresses.TRAINER, Addresses.EVALUATOR,
            Addresses.RED_TEAMER));
    assertEquals(Role.values().length, Arrays.stream(Role.values()).map(Addresses::role).distinct().count());
  }

  @Test
  void failureCodesMapBackToTheirFailure() {
    for (Failure f : Failure.values()) assertEquals(Optional.of(f), Failure.fromCode(f.code()));
    assertTrue(Failure.fromCode(-1).isEmpty());
  }
}
