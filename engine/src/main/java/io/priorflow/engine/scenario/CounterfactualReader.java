package io.priorflow.engine.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.scenario.Origins.Origin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario's {@code counterfactuals:} section and the {@code --counterfactual} arguments into
 * {@link Counterfactual}s, each with its field assignments at the place they were written (so that a bad one is
 * reported at its line and column). Like the sweep, the section is not a field of the scenario: it is read against
 * the resolved scenario, and each counterfactual's scenario is validated by {@link ScenarioLoader}.
 *
 * <p>An argument is {@code [NAME:]remove=TARGET}, {@code [NAME:]neutralise=TARGET} or {@code NAME:set=PATH=VALUE}.
 */
final class CounterfactualReader {
  private CounterfactualReader() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String SECTION = "counterfactuals";
  /** The section naming the players of a Shapley attribution. */
  static final String SHAPLEY = "shapley";
  /** The most players a Shapley attribution may have: it runs every one of their 2^n − 1 removals. */
  static final int MAX_PLAYERS = 6;
  private static final String NAME_PATTERN = "[a-z0-9_.-]{1,256}";
  private static final List<String> KEYS = List.of("name", "description", "remove", "neutralise", "drop", "set");
  private static final List<String> FORMS = List.of("remove", "neutralise", "drop", "set");

  /** One field a counterfactual sets, with the value's places. */
  record Change(String path, SweepReader.Value value) {}

  /** A counterfactual as read: its name, description, changes and where it was written. */
  record Variant(String name, String description, List<Change> changes, Origin at) {
    Counterfactual counterfactual() {
      return new Counterfactual(name, description, changes.stream()
          .map(c -> new Counterfactual.Assignment(c.path(), c.value().yaml())).toList());
    }
  }

  /** The counterfactuals, those the Shapley players' combinations add included, and the players' names. */
  record Read(List<Variant> variants, List<String> players) {}

  /**
   * The counterfactuals of both sections and the arguments: those of {@link #read}, then, for a {@code shapley:}
   * section of n players (each an intervention in the same forms, or the name of a counterfactual), every
   * combination of two or more players as one counterfactual (their assignments together, named
   * {@code a__b__…} in player order) and each single player not yet among them.
   */
  static Read readAll(JsonNode section, JsonNode shapley, List<String> args, ObjectNode template, Origins origins,
                      List<Problem> out) {
    List<Variant> variants = new ArrayList<>(read(section, args, template, origins, out));
    if (shapley == null || shapley.isNull()) {
      return new Read(variants, List.of());
    }
    Origin at = origins.at(SHAPLEY, false);
    if (!shapley.isArray() || shapley.size() < 2 || shapley.size() > MAX_PLAYERS) {
      out.add(at.problem(SHAPLEY, "expected a list of 2 to " + MAX_PLAYERS + " players (interventions such as "
          + "{remove: human-0}, or names of counterfactuals), found " + Wording.found(shapley,
          origins.rawAt(SHAPLEY))));
      return new Read(variants, List.of());
    }
    List<Variant> players = new ArrayList<>();
    for (int i = 0; i < shapley.size(); i++) {
      String p = FieldPath.index(SHAPLEY, i);
      JsonNode e = shapley.get(i);
      Variant v;
      if (e.isTextual()) {
        v = variants.stream().filter(x -> x.name().equals(e.asText())).findFirst().orElse(null);
        if (v == null) {
          out.add(origins.at(p, false).problem(p, "expected the name of a counterfactual ("
              + String.join(", ", variants.stream().map(Variant::name).toList()) + "), found "
              + Wording.quote(e.asText())));
          return new Read(variants, List.of());
        }
      } else {
        v = fileEntry(p, e, template, origins, out);
      }
      if (v == null) return new Read(variants, List.of());
      if (players.stream().anyMatch(x -> x.name().equals(v.name()))) {
        out.add(origins.at(p, false).problem(p, "expected distinct players, found " + Wording.quote(v.name())
            + " twice"));
        return new Read(variants, List.of());
      }
      players.add(v);
    }
    int n = players.size();
    for (int mask = 1; mask < (1 << n); mask++) {
      List<String> names = new ArrayList<>(), descriptions = new ArrayList<>();
      List<Change> changes = new ArrayList<>();
      Map<String, String> paths = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) == 0) continue;
        Variant v = players.get(i);
        names.add(v.name());
        descriptions.add(v.description());
        for (Change c : v.changes()) {
          String before = paths.put(c.path(), c.value().yaml());
          if (before != null && !before.equals(c.value().yaml())) {
            out.add(v.at().problem(SHAPLEY, "expected players that set different fields, found " + c.path()
                + " set to " + before + " and to " + c.value().yaml()));
            return new Read(variants, List.of());
          }
          changes.add(c);
        }
      }
      Variant combined = names.size() == 1 ? players.get(Integer.numberOfTrailingZeros(mask))
          : new Variant(String.join(Counterfactual.JOIN, names), String.join(" and ", descriptions), changes, at);
      Variant existing = variants.stream().filter(x -> x.name().equals(combined.name())).findFirst().orElse(null);
      if (existing == null) {
        variants.add(combined);
      } else if (!existing.counterfactual().assignments().equals(combined.counterfactual().assignments())) {
        out.add(at.problem(SHAPLEY, "expected the counterfactual " + combined.name() + " to be the players' "
            + "combination, found one of that name that sets other fields"));
        return new Read(variants, List.of());
      }
    }
    return new Read(variants, players.stream().map(Variant::name).toList());
  }

  /**
   * The counterfactuals of the section (null when the file has none) and of the arguments; problems go to
   * {@code out}.
   *
   * @param template the resolved factual scenario's tree, which targets are checked against (not changed)
   */
  static List<Variant> read(JsonNode section, List<String> args, ObjectNode template, Origins origins,
                            List<Problem> out) {
    List<Variant> variants = new ArrayList<>();
    if (section != null && !section.isNull()) {
      if (!section.isArray()) {
        out.add(origins.at(SECTION, false).problem(SECTION, "expected a list of interventions, e.g. [{remove: "
            + "human-0}, {neutralise: humans.biases}], found " + Wording.found(section, origins.rawAt(SECTION))));
      } else {
        for (int i = 0; i < section.size(); i++) {
          Variant v = fileEntry(FieldPath.index(SECTION, i), section.get(i), template, origins, out);
          if (v != null) variants.add(v);
        }
      }
    }
    for (String arg : args) {
      Variant v = argument(arg, template, out);
      if (v != null) variants.add(v);
    }
    Set<String> names = new HashSet<>();
    for (Variant v : variants) {
      if (!names.add(v.name())) {
        out.add(v.at().problem(SECTION, "expected distinct counterfactual names, found " + Wording.quote(v.name())
            + " twice (give one a name:)"));
      }
    }
    if (variants.size() > Counterfactual.MAX) {
      out.add(variants.get(Counterfactual.MAX).at().problem(SECTION, "expected at most " + Counterfactual.MAX
          + " counterfactuals, found " + variants.size()));
    }
    return variants;
  }

  private static Variant fileEntry(String at, JsonNode entry, ObjectNode template, Origins origins,
                                   List<Problem> out) {
    Origin place = origins.at(at, false);
    if (!entry.isObject()) {
      out.add(place.problem(at, "expected an intervention such as {remove: human-0}, {neutralise: human-0.biases} "
          + "or {name: x, set: {actors.humans.accuracy: 1}}, found " + Wording.found(entry, origins.rawAt(at))));
      return null;
    }
    for (Map.Entry<String, JsonNode> e : entry.properties()) {
      if (!KEYS.contains(e.getKey())) {
        String p = FieldPath.child(at, e.getKey());
        out.add(origins.at(p, true).problem(p, "unknown key" + Suggest.hint(e.getKey(), KEYS) + "; expected one of "
            + String.join(", ", KEYS)));
        return null;
      }
    }
    List<String> given = FORMS.stream().filter(entry::has).toList();
    if (given.size() != 1) {
      out.add(place.problem(at, "expected exactly one of remove, neutralise, drop, set, found "
          + (given.isEmpty() ? "none" : String.join(" and ", given))));
      return null;
    }
    String form = given.get(0);
    String formPath = FieldPath.child(at, form);
    Origin formAt = origins.at(formPath, false);
    String name = null;
    if (entry.has("name")) {
      String np = FieldPath.child(at, "name");
      JsonNode n = entry.get("name");
      if (!n.isTextual() || !n.asText().matches(NAME_PATTERN) || n.asText().equals(Counterfactual.FACTUAL)) {
        out.add(origins.at(np, false).problem(np, "expected a name of 1 to 256 characters of [a-z0-9_.-], not "
            + "\"factual\", found " + Wording.found(n, origins.rawAt(np))));
        return null;
      }
      name = n.asText();
    }
    String description = entry.has("description") && entry.get("description").isTextual()
        ? entry.get("description").asText() : null;
    JsonNode value = entry.get(form);
    if (form.equals("set")) {
      if (!value.isObject() || value.isEmpty()) {
        out.add(formAt.problem(formPath, "expected a mapping of field paths to values, e.g. {actors.humans.accuracy: "
            + "1}, found " + Wording.found(value, origins.rawAt(formPath))));
        return null;
      }
      if (name == null) {
        out.add(place.problem(at, "expected a name: for a set intervention (it names the counterfactual in "
            + "metrics.csv and attribution.csv), found none"));
        return null;
      }
      List<Change> changes = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        String p = FieldPath.child(formPath, e.getKey());
        Overrides.Slot slot = Overrides.resolve(template.deepCopy(), e.getKey().strip(), origins.at(p, true), out);
        if (slot == null) return null;
        changes.add(new Change(slot.path(), SweepReader.value(e.getValue(), origins.subtree(p), origins.at(p, false))));
        texts.add(slot.path() + "=" + changes.get(changes.size() - 1).value().text());
      }
      return new Variant(name, description != null ? description : "set " + String.join(", ", texts), changes,
          place);
    }
    if (!value.isTextual()) {
      out.add(formAt.problem(formPath, "expected a target " + targets(form) + ", found "
          + Wording.found(value, origins.rawAt(formPath))));
      return null;
    }
    return expand(form, value.asText(), name, description, formAt, formPath, template, out);
  }

  private static Variant argument(String arg, ObjectNode template, List<Problem> out) {
    Origin at = new Origin("--counterfactual " + arg, 0, 0);
    String name = null, rest = arg;
    int colon = arg.indexOf(':');
    int eq = arg.indexOf('=');
    if (colon > 0 && (eq < 0 || colon < eq)) {
      name = arg.substring(0, colon);
      rest = arg.substring(colon + 1);
      if (!name.matches(NAME_PATTERN) || name.equals(Counterfactual.FACTUAL)) {
        out.add(at.problem("", "expected a name of 1 to 256 characters of [a-z0-9_.-] before ':', not \"factual\", "
            + "found " + Wording.quote(name)));
        return null;
      }
    }
    eq = rest.indexOf('=');
    String form = eq < 0 ? rest : rest.substring(0, eq);
    if (eq < 0 || !FORMS.contains(form)) {
      out.add(at.problem("", "expected [NAME:]remove=TARGET, [NAME:]neutralise=TARGET, [NAME:]drop=STAGE or "
          + "NAME:set=PATH=VALUE, "
          + "found " + Wording.quote(arg)));
      return null;
    }
    String target = rest.substring(eq + 1).strip();
    if (!form.equals("set")) {
      return expand(form, target, name, null, at, "", template, out);
    }
    if (name == null) {
      out.add(at.problem("", "expected a name before set (NAME:set=PATH=VALUE): it names the counterfactual in "
          + "metrics.csv and attribution.csv"));
      return null;
    }
    int eq2 = target.indexOf('=');
    if (eq2 <= 0) {
      out.add(at.problem("", "expected NAME:set=PATH=VALUE, found " + Wording.quote(arg)));
      return null;
    }
    Overrides.Slot slot = Overrides.resolve(template.deepCopy(), target.substring(0, eq2).strip(), at, out);
    if (slot == null) return null;
    Origins fragment = new Origins(at.source());
    JsonNode node = Overrides.valueOf(slot, target.substring(eq2 + 1).strip(), at, fragment, out);
    if (node == null) return null;
    SweepReader.Value v = SweepReader.value(node, fragment, at);
    return new Variant(name, "set " + slot.path() + "=" + v.text(), List.of(new Change(slot.path(), v)), at);
  }

  private static String targets(String form) {
    return form.equals("remove") ? "(human-<i>, critic, red_teamers, fresh_data)"
        : form.equals("drop") ? "(a stage: lineages[<i>].stages[<j>])"
        : "(human-<i>.biases, human-<i>.accuracy, human-<i>.anchoring, human-<i>.fatigue, humans.biases, "
            + "humans.accuracy, humans.anchoring, humans.fatigue, critic.temperature)";
  }

  /** A remove, neutralise or drop target as the fields it sets. */
  private static Variant expand(String form, String target, String name, String description, Origin at,
                                String path, ObjectNode template, List<Problem> out) {
    List<Change> changes = new ArrayList<>();
    JsonNode humans = template.path("actors").path("humans");
    int count = humans.path("count").asInt(0);
    String individuals = "actors.humans.individuals.";
    String human = null, field = target;
    if (target.startsWith(HumanSpec.ID_PREFIX)) {
      int dot = target.indexOf('.');
      human = dot < 0 ? target : target.substring(0, dot);
      field = dot < 0 ? "" : target.substring(dot + 1);
      String digits = human.substring(HumanSpec.ID_PREFIX.length());
      if (!digits.matches("0|[1-9][0-9]{0,5}") || Integer.parseInt(digits) >= count) {
        out.add(at.problem(path, "expected a labeller of the pool, human-0 … human-" + (count - 1)
            + " (actors.humans.count = " + count + "), found " + Wording.quote(human)));
        return null;
      }
    }
    if (form.equals("drop")) {
      // a stage by index or by name (lineages[main].stages[distil]), turned into the index form
      List<Problem> named = new ArrayList<>();
      Overrides.Slot slot = target.contains("[") && target.matches(".*\\[[a-z][a-z0-9_-]*\\].*")
          ? Overrides.resolve(template.deepCopy(), target + ".until", at, named) : null;
      if (!named.isEmpty()) {
        out.addAll(named);
        return null;
      }
      if (slot != null) target = slot.path().substring(0, slot.path().length() - ".until".length());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("lineages\\[(\\d{1,6})\\]\\.stages\\[(\\d{1,6})\\]")
          .matcher(target);
      JsonNode stage = m.matches() ? template.path("lineages").path(Integer.parseInt(m.group(1))).path("stages")
          .path(Integer.parseInt(m.group(2))) : null;
      if (stage == null || !stage.isObject()) {
        out.add(at.problem(path, "expected a stage of the scenario, lineages[<i>].stages[<j>] (or by name, "
            + "lineages[<lineage>].stages[<stage>]), found " + Wording.quote(target)));
        return null;
      }
      changes.add(change(target + ".until", NODES.numberNode(0), at));
      String lineage = template.path("lineages").path(Integer.parseInt(m.group(1))).path("name").asText("l" + m.group(1));
      target = lineage + "-s" + m.group(2) + "-" + stage.path("kind").asText("stage");
    } else if (form.equals("remove")) {
      if (human != null && field.isEmpty()) {
        changes.add(change(individuals + human + ".absent", NODES.booleanNode(true), at));
      } else if (target.equals("fresh_data")) {
        JsonNode lineages = template.path("lineages");
        boolean any = false;
        for (int l = 0; l < lineages.size(); l++) {
          if (lineages.get(l).path("data").path("freshFraction").asDouble(0) > 0) {
            changes.add(change("lineages[" + l + "].data.freshFraction", NODES.numberNode(0), at));
            any = true;
          }
        }
        if (!any) {
          out.add(at.problem(path, "expected a lineage with data.freshFraction > 0 to remove fresh data from, found "
              + "none (no lineage draws fresh world data)"));
          return null;
        }
      } else if (target.equals("critic")) {
        if (!withoutCritic(template, changes, at, path, out)) return null;
      } else if (target.equals("red_teamers")) {
        JsonNode lineages = template.path("lineages");
        for (int l = 0; l < lineages.size(); l++) {
          JsonNode stages = lineages.get(l).path("stages");
          for (int k = 0; k < stages.size(); k++) {
            if ("redteam".equals(stages.get(k).path("kind").asText())) {
              changes.add(change("lineages[" + l + "].stages[" + k + "].until", NODES.numberNode(0), at));
            }
          }
        }
        if (changes.isEmpty()) {
          out.add(at.problem(path, "expected a redteam stage to switch off, found none (no lineage red-teams)"));
          return null;
        }
      } else {
        out.add(at.problem(path, "expected a target " + targets(form) + ", found " + Wording.quote(target)
            + Suggest.hint(target, List.of("human-0", "critic", "red_teamers", "fresh_data"))));
        return null;
      }
    } else {
      String[][] neutral = {{"biases", "biases", "{}"}, {"accuracy", "accuracy", "1"}, {"anchoring", "anchoring", "0"},
          {"fatigue", "fatiguePerHour", "0"}};
      if (target.startsWith("humans.")) field = target.substring("humans.".length());
      String[] hit = null;
      for (String[] n : neutral) if (n[0].equals(field)) hit = n;
      if (human != null && hit != null) {
        changes.add(change(individuals + human + "." + hit[1], node(hit[2]), at));
      } else if (target.startsWith("humans.") && hit != null) {
        changes.add(change("actors.humans." + hit[1], node(hit[2]), at));
        // every labeller who differs from the pool in that field is neutralised too
        for (var e : humans.path("individuals").properties()) {
          JsonNode v = e.getValue().get(hit[1]);
          if (v != null && !v.isNull()) changes.add(change(individuals + e.getKey() + "." + hit[1], node(hit[2]), at));
        }
      } else if (target.equals("critic.temperature")) {
        changes.add(change("actors.critics.temperature", NODES.numberNode(0), at));
      } else {
        out.add(at.problem(path, "expected a target " + targets(form) + ", found " + Wording.quote(target)));
        return null;
      }
    }
    String verb = form.equals("remove") ? "without-" : form.equals("drop") ? "drop-" : "neutral-";
    String derived = (verb + target).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    return new Variant(name != null ? name : derived.length() > 64 ? derived.substring(0, 64) : derived,
        description != null ? description : form + " " + (form.equals("drop") ? changes.get(0).path()
            .replace(".until", "") : target), changes, at);
  }

  /**
   * The critic removed: every stage it labels or filters by is switched off, human labelling it assists is no longer
   * assisted, and a train stage left with nothing to learn from (dpo or reward_model whose pairs, kto whose ratings
   * only the critic made) is switched off too, so that generation keeps its teacher. A stage that cannot do without it (rlhf or best_of_n rewarded by the critic, online_dpo judged
   * by it) is a problem: the counterfactual would be a different method, not the same one without a source.
   */
  private static boolean withoutCritic(ObjectNode template, List<Change> changes, Origin at, String path,
                                       List<Problem> out) {
    JsonNode lineages = template.path("lineages");
    for (int l = 0; l < lineages.size(); l++) {
      JsonNode stages = lineages.get(l).path("stages");
      boolean rewardModel = false, pairs = false, ratings = false; // made by a stage still on
      for (int k = 0; k < stages.size(); k++) {
        JsonNode st = stages.get(k);
        String p = "lineages[" + l + "].stages[" + k + "]", kind = st.path("kind").asText();
        String by = st.path("by").asText(""), method = st.path("method").asText(""), task = st.path("task").asText("");
        boolean off = st.path("until").isInt() && st.path("until").asInt() == 0;
        if ((kind.equals("filter") || kind.equals("label")) && by.equals("critic")) {
          changes.add(change(p + ".until", NODES.numberNode(0), at));
          continue;
        }
        if (off) continue;
        if (kind.equals("label") && st.path("assisted").asBoolean(false)) {
          changes.add(change(p + ".assisted", NODES.booleanNode(false), at));
        }
        pairs |= kind.equals("redteam") || kind.equals("label") && task.equals("prefer");
        ratings |= kind.equals("label") && (task.equals("rate") || task.equals("correct"));
        if (kind.equals("train") && (method.equals("dpo") || method.equals("reward_model")) && !pairs
            || kind.equals("train") && method.equals("kto") && !ratings) {
          // the critic made all its data: without it this training has nothing to learn from, so it does not run
          changes.add(change(p + ".until", NODES.numberNode(0), at));
        } else if (kind.equals("train") && method.equals("reward_model")) {
          rewardModel = true;
        } else if (kind.equals("train") && ((method.equals("rlhf") || method.equals("best_of_n")) && !rewardModel
            || method.equals("online_dpo") && !by.equals("humans"))) {
          out.add(at.problem(path, "expected a scenario whose stages can do without the critic, found " + p + " ("
              + method + ") " + (method.equals("online_dpo") ? "judged" : "rewarded") + " by it; give it "
              + (method.equals("online_dpo") ? "by: humans" : "a reward_model stage before it")
              + ", or neutralise critic.temperature instead"));
          return false;
        }
      }
    }
    if (changes.isEmpty()) {
      out.add(at.problem(path, "expected a stage that uses the critic (filter or label by critic, assisted "
          + "labelling), found none"));
      return false;
    }
    return true;
  }

  private static JsonNode node(String text) {
    return text.equals("{}") ? NODES.objectNode() : NODES.numberNode(Integer.parseInt(text));
  }

  private static Change change(String path, JsonNode value, Origin at) {
    return new Change(path, SweepReader.value(value, new Origins(at.source()), at));
  }
}
