package io.priorflow.engine.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The register Markov chain of a response ({@link Register}). The response body has L slots; slot 1 is the
 * opener (a marker of the opening register, filler if neutral); before each later slot the register moves:
 * <pre>
 *   neutral → toxic   with neutralTurnsToxic      (else stays neutral)
 *   polite  → toxic   with politeTurnsToxic = q   (else stays polite)   "polite discourse turns toxic"
 *   toxic   → neutral with toxicRecovers          (else stays toxic)    toxic is hard to leave
 * </pre>
 * and the slot emits a polite marker (polite, with politeEmit), a toxic marker (toxic, with toxicEmit), or a
 * filler word otherwise. Nothing turns polite after the opener. Every field is a probability in [0, 1];
 * missing fields take {@link #defaults()}: q = 0.04, recover 0.05, neutral→toxic 0.005, emits 0.5 and 0.7.
 *
 * @param politeTurnsToxic  q, the chance that polite discourse turns toxic before a slot, in [0, 1]; default 0.04
 * @param toxicRecovers     the chance that a toxic register turns neutral before a slot, in [0, 1]; default 0.05
 * @param neutralTurnsToxic the chance that a neutral register turns toxic before a slot, in [0, 1]; default 0.005
 * @param politeEmit        the chance that a polite slot emits a polite marker (else filler), in [0, 1]; default 0.5
 * @param toxicEmit         the chance that a toxic slot emits a toxic marker (else filler), in [0, 1]; default 0.7
 */
public record RegisterConfig(
    double politeTurnsToxic, double toxicRecovers, double neutralTurnsToxic, double politeEmit, double toxicEmit) {

  /** q = 0.04, toxicRecovers 0.05, neutralTurnsToxic 0.005, politeEmit 0.5, toxicEmit 0.7. */
  public static RegisterConfig defaults() {
    return new RegisterConfig(0.04, 0.05, 0.005, 0.5, 0.7);
  }

  /** The Jackson creator: every missing field takes its default. */
  @JsonCreator
  public static RegisterConfig of(
      @JsonProperty("politeTurnsToxic") Double politeTurnsToxic,
      @JsonProperty("toxicRecovers") Double toxicRecovers,
      @JsonProperty("neutralTurnsToxic") Double neutralTurnsToxic,
      @JsonProperty("politeEmit") Double politeEmit,
      @JsonProperty("toxicEmit") Double toxicEmit) {
    RegisterConfig d = defaults();
    return new RegisterConfig(
        politeTurnsToxic != null ? politeTurnsToxic : d.politeTurnsToxic,
        toxicRecovers != null ? toxicRecovers : d.toxicRecovers,
        neutralTurnsToxic != null ? neutralTurnsToxic : d.neutralTurnsToxic,
        politeEmit != null ? politeEmit : d.politeEmit,
        toxicEmit != null ? toxicEmit : d.toxicEmit);
  }

  /** transition[from][to] over (NEUTRAL, POLITE, TOXIC), as in the table above. */
  double[][] transitions() {
    return new double[][] {
        {1 - neutralTurnsToxic, 0, neutralTurnsToxic},
        {0, 1 - politeTurnsToxic, politeTurnsToxic},
        {toxicRecovers, 0, 1 - toxicRecovers}};
  }

  /** Adds every range violation under the path prefix (e.g. "register."). */
  void check(String prefix, ConfigChecks checks) {
    checks.range(prefix + "politeTurnsToxic", politeTurnsToxic, 0, 1)
        .range(prefix + "toxicRecovers", toxicRecovers, 0, 1)
        .range(prefix + "neutralTurnsToxic", neutralTurnsToxic, 0, 1)
        .range(prefix + "politeEmit", politeEmit, 0, 1)
        .range(prefix + "toxicEmit", toxicEmit, 0, 1);
  }
}
