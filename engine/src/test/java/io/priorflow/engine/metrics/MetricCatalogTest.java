package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.metrics.MetricDefinition.Direction;
import io.priorflow.engine.metrics.MetricDefinition.Interval;
import io.priorflow.engine.metrics.MetricDefinition.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricCatalogTest {

  @Test
  void everyFixedNameIsDefinedOnceInColumnOrder() {
    List<String> all = new ArrayList<>(MetricNames.FIXED);
    all.addAll(MetricNames.METHOD);
    all.addAll(MetricNames.ANALYTIC);
    assertEquals(all, MetricCatalog.fixed().stream().map(MetricDefinition::name).toList());
    for (MetricDefinition d : MetricCatalog.fixed()) {
      assertTrue(d.description().endsWith(".") || d.description().endsWith(")"), d.name() + ": " + d.description());
      assertTrue(d.low() < d.high(), d.name());
      assertTrue(!d.unit().isBlank(), d.name());
    }
  }

  @Test
  void familiesAndDirections() {
    assertEquals(Direction.LOWER_IS_BETTER, MetricCatalog.of("trait.toxic").direction());
    assertEquals(Direction.HIGHER_IS_BETTER, MetricCatalog.of("trait.correct").direction());
    assertEquals(Direction.NEITHER, MetricCatalog.of("trait.gratitude").direction());
    assertEquals(Direction.HIGHER_IS_BETTER, MetricCatalog.of("trait.gratitude", Map.of("gratitude", true)).direction());
    assertEquals(Direction.LOWER_IS_BETTER, MetricCatalog.of("trait.spam", Map.of("spam", false)).direction());
    assertEquals(Kind.ANCESTRY, MetricCatalog.of("ancestry.world").kind());
    assertEquals(Kind.COST, MetricCatalog.of(MetricNames.COST_TRAIN_TOKENS).kind());
    assertEquals(Kind.BOOKKEEPING, MetricCatalog.of(MetricNames.PARAMS_FULL).kind());
    assertEquals(Interval.BOOTSTRAP, MetricCatalog.of(MetricNames.DIVERSITY_DISTINCT2).interval());
    assertEquals(Interval.STUDENT_T_CLIPPED, MetricCatalog.of(MetricNames.KL_BASE).interval());
    assertEquals(Interval.STUDENT_T, MetricCatalog.of(MetricNames.REWARD_GOLD).interval());
    assertEquals("[0, 1]", MetricCatalog.of("trait.toxic").domainText());
    assertEquals("[0, ∞)", MetricCatalog.of(MetricNames.KL_BASE).domainText());
    assertEquals("(−∞, ∞)", MetricCatalog.of(MetricNames.REWARD_GOLD).domainText());
    assertEquals("good", Direction.LOWER_IS_BETTER.verdict(-0.1));
    assertEquals("bad", Direction.LOWER_IS_BETTER.verdict(0.1));
    assertEquals("good", Direction.HIGHER_IS_BETTER.verdict(0.1));
    assertEquals("", Direction.NEITHER.verdict(0.1));
    assertThrows(IllegalArgumentException.class, () -> MetricCatalog.of("nonsense"));
  }

  @Test
  void theIssuesTwoReplicateBandsStayInTheirDomains() {
    // issue 17: with 2 replicates distinct2 got a band from −5 to +5 and kl.base one down to −30
    SummaryStats t = SummaryStats.of(0.2, 0.9);
    assertTrue(t.ciLow() < -3 && t.ciHigh() > 4, "the Student t interval: " + t);
    SummaryStats d = SummaryStats.of(MetricCatalog.of(MetricNames.DIVERSITY_DISTINCT2), 0.2, 0.9);
    assertEquals(0.2, d.ciLow(), 0.0); // two values: the bootstrap means are 0.2, 0.55, 0.9
    assertEquals(0.9, d.ciHigh(), 0.0);
    assertEquals(0.55, d.mean(), 1e-15);
    SummaryStats kl = SummaryStats.of(MetricCatalog.of(MetricNames.KL_BASE), 0.5, 5.0);
    assertEquals(0.0, kl.ciLow(), 0.0);
    assertEquals(SummaryStats.of(0.5, 5.0).ciHigh(), kl.ciHigh(), 0.0); // the upper t end is kept
    SummaryStats gold = SummaryStats.of(MetricCatalog.of(MetricNames.REWARD_GOLD), 0.5, 5.0);
    assertEquals(SummaryStats.of(0.5, 5.0), gold);
  }

  @Test
  void noIntervalLeavesItsDomainAndTheBootstrapIsDeterministic() {
    SplittableRandom r = new SplittableRandom(7);
    for (MetricDefinition m : MetricCatalog.fixed()) {
      for (int trial = 0; trial < 20; trial++) {
        int n = 2 + r.nextInt(8);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          double lo = Double.isInfinite(m.low()) ? -10 : m.low();
          double hi = Double.isInfinite(m.high()) ? lo + 20 : m.high();
          x[i] = lo + (hi - lo) * Math.pow(r.nextDouble(), 3); // many near the lower end
        }
        SummaryStats s = SummaryStats.of(m, x);
        assertTrue(s.ciLow() >= m.low() && s.ciHigh() <= m.high() && s.ciLow() <= s.mean() + 1e-12
            && s.mean() <= s.ciHigh() + 1e-12, m.name() + " " + s);
        assertEquals(s, SummaryStats.of(m, x));
      }
    }
  }

  @Test
  void theBootstrapCoversTheMeanOfManyReplicatesAboutAsTheTIntervalDoes() {
    // 30 replicates of a proportion near 0.5: the bootstrap and the t interval agree to a few percent of their width
    SplittableRandom r = new SplittableRandom(11);
    double[] x = new double[30];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.4 + 0.2 * r.nextDouble();
    }
    SummaryStats b = SummaryStats.of(MetricCatalog.of("trait.polite"), x);
    SummaryStats t = SummaryStats.of(x);
    double width = t.ciHigh() - t.ciLow();
    assertEquals(t.ciLow(), b.ciLow(), 0.1 * width);
    assertEquals(t.ciHigh(), b.ciHigh(), 0.1 * width);
  }
}
