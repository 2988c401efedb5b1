package io.priorflow.engine.scenario;

import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.model.TokenModelConfig.Family;
import java.util.List;
import java.util.Map;

/**
 * Pass 5 of loading, for models: each spec has its family's fields and no other's, within the family's bounds; each
 * role's reference names an entry of {@code models}; and no lineage asks for what a run cannot do with models of
 * different shapes — a student copied from (init teacher), or a LoRA adapter trained on, a teacher of another
 * architecture; a model on a train stage other than reward_model. Distillation across sizes and families is fine
 * (the world gives every model one vocabulary), and so are lineages with different bases.
 */
final class ModelCheck {
  private final ProblemList problems;

  ModelCheck(ProblemList problems) {
    this.problems = problems;
  }

  void check(Scenario s) {
    spec("model", s.model());
    if (s.models() != null) {
      for (Map.Entry<String, ModelSpec> e : s.models().entrySet()) {
        String path = FieldPath.child("models", e.getKey());
        require(e.getKey().matches(NAME), path, true, "expected a model name of 1 to 64 characters of [a-z0-9_-], "
            + "starting with a letter or digit, found " + Wording.quote(e.getKey()));
        spec(path, e.getValue());
      }
    }
    boolean refsOk = reference(s, "actors.critics.model", s.actors().critics().model())
        & reference(s, "actors.redTeamers.model", s.actors().redTeamers().model());
    if (s.actors().critics().constitution() != null) {
      refsOk &= reference(s, "actors.critics.constitution.model", s.actors().critics().constitution().model());
    }
    for (int i = 0; i < s.lineages().size(); i++) {
      LineageSpec l = s.lineages().get(i);
      String path = "lineages[" + i + "]";
      boolean ok = reference(s, path + ".model", l.model()) & reference(s, path + ".base.model", l.base().model());
      if (l.stages() == null) continue;
      for (int j = 0; j < l.stages().size(); j++) {
        if (l.stages().get(j) instanceof TrainStage t) {
          ok &= reference(s, path + ".stages[" + j + "].model", t.model());
        }
      }
      if (ok && valid(s, l)) {
        combinations(s, l, path);
      }
    }
  }

  private static final String NAME = "[a-z0-9][a-z0-9_-]{0,63}";

  /** The family's fields are there, the other family's are not, and the shape is one a model can have. */
  private void spec(String path, ModelSpec m) {
    boolean transformer = m.familyOrDefault() == Family.TRANSFORMER;
    String family = ScenarioTypes.enumName(m.familyOrDefault());
    List<String> own = transformer ? ModelSpec.TRANSFORMER_FIELDS : ModelSpec.MLP_FIELDS;
    List<String> other = transformer ? ModelSpec.MLP_FIELDS : ModelSpec.TRANSFORMER_FIELDS;
    Object[] values = transformer ? new Object[] {m.width(), m.layers(), m.heads(), m.mlpWidth()}
        : new Object[] {m.embedDim(), m.hidden(), m.activation()};
    Object[] foreign = transformer ? new Object[] {m.embedDim(), m.hidden(), m.activation()}
        : new Object[] {m.width(), m.layers(), m.heads(), m.mlpWidth()};
    String sizes = "context, " + String.join(", ", own);
    for (int k = 0; k < other.size(); k++) {
      require(foreign[k] == null, path + "." + other.get(k), true, "expected no " + other.get(k) + " with family "
          + family + " (" + other.get(k) + " sizes " + (transformer ? "an mlp" : "a transformer") + "; " + article(
          family) + " " + family + " has " + sizes + "), found " + shown(foreign[k]), path + ".family");
    }
    for (int k = 0; k < own.size(); k++) {
      require(values[k] != null, path + "." + own.get(k), true, "expected " + own.get(k) + " with family " + family
          + ", found null", path + ".family");
    }
    if (!transformer && m.embedDim() != null) {
      long width = (long) m.context() * m.embedDim();
      require(width <= TokenModelConfig.MAX_WIDTH, path + ".embedDim", false, "expected context × embedDim ≤ "
          + TokenModelConfig.MAX_WIDTH + ", found " + m.context() + " × " + m.embedDim() + " = " + width,
          path + ".context");
    }
    if (transformer && m.width() != null && m.heads() != null) {
      require(m.width() % m.heads() == 0, path + ".heads", false, "expected a divisor of width " + m.width()
          + " (each head reads width / heads dimensions), found " + m.heads(), path + ".width");
    }
  }

  private static String article(String family) {
    return family.equals("mlp") ? "an" : "a";
  }

  private static String shown(Object v) {
    return v instanceof Enum<?> e ? ScenarioTypes.enumName(e) : String.valueOf(v);
  }

  /** A role's model name exists in models; true when it is null or does. */
  private boolean reference(Scenario s, String path, String ref) {
    if (ref == null) return true;
    if (s.models() == null || s.models().isEmpty()) {
      require(false, path, false, "expected the name of an entry of models (this scenario has none; add models: { "
          + ref + ": { ... } }), found " + Wording.quote(ref));
      return false;
    }
    if (s.models().containsKey(ref)) return true;
    require(false, path, false, "expected one of " + String.join(", ", s.models().keySet()) + ", found "
        + Wording.quote(ref) + Suggest.hint(ref, s.models().keySet()));
    return false;
  }

  /** The lineage's specs are usable (their own problems are reported at the specs). */
  private boolean valid(Scenario s, LineageSpec l) {
    return !problems.touchesBad(l.model() == null ? "model" : FieldPath.child("models", l.model()))
        && !problems.touchesBad(l.base().model() == null ? "model" : FieldPath.child("models", l.base().model()));
  }

  /** What a run cannot do when the lineage's students and its base (the first teacher) differ in shape. */
  private void combinations(Scenario s, LineageSpec l, String path) {
    ModelSpec student = ModelRoles.student(s, l), base = ModelRoles.base(s, l);
    boolean same = student.sameArchitecture(base);
    String studentAt = path + ".model", baseAt = path + ".base.model";
    String shapes = studentAt + " " + name(l.model()) + " (" + student.describe() + ") and " + baseAt + " "
        + name(l.base().model()) + " (" + base.describe() + ")";
    for (int j = 0; j < l.stages().size(); j++) {
      if (!(l.stages().get(j) instanceof TrainStage t)) continue;
      String sp = path + ".stages[" + j + "]", method = ScenarioTypes.enumName(t.method());
      boolean copies = t.init() == TrainStage.Init.TEACHER && (t.method() == TrainStage.Method.SFT
          || t.method() == TrainStage.Method.DISTILL_SEQUENCE || t.method() == TrainStage.Method.DISTILL_TOKEN
          || t.method() == TrainStage.Method.GKD);
      if (t.model() != null && t.method() != TrainStage.Method.REWARD_MODEL) {
        require(false, sp + ".model", false, "expected no model with method " + method + " (a lineage's students "
            + "have " + studentAt + "; only reward_model trains a model of its own), found " + Wording.quote(
            t.model()), sp + ".method");
      } else if (t.method() == TrainStage.Method.LORA) {
        require(same, sp + ".method", false, "expected one architecture for the students and the base with method "
            + "lora (the adapter trains on the teacher, whose size its student keeps), found " + shapes, studentAt,
            baseAt, sp + ".init");
      } else if (copies) {
        require(same, sp + ".init", false, "expected scratch: init teacher copies the teacher into a student of "
            + "another architecture, " + shapes + "; use init: scratch, or give both one model", studentAt, baseAt,
            sp + ".method");
      } else if (t.method() == TrainStage.Method.REWARD_MODEL && t.model() != null
          && t.init() == TrainStage.Init.TEACHER) {
        ModelSpec rm = ModelRoles.rewardModel(s, t);
        require(rm.sameArchitecture(base) && rm.sameArchitecture(student), sp + ".model", false, "expected the "
            + "teacher's model with init teacher (the reward model takes the teacher's body), found " + Wording.quote(
            t.model()) + " (" + rm.describe() + ") beside " + shapes + "; use init: scratch, or leave model out",
            sp + ".init");
      }
    }
  }

  private static String name(String ref) {
    return ref == null ? "(model)" : Wording.quote(ref);
  }

  private void require(boolean ok, String path, boolean atKey, String message, String... alsoInvolved) {
    if (ok || problems.touchesBad(path) || problems.touchesBad(alsoInvolved)) {
      return;
    }
    problems.add(path, atKey, message);
  }
}
