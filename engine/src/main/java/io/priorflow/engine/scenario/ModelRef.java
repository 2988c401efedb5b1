package io.priorflow.engine.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's name for a model other than its generation's teacher ({@code teacher:} of generate and train stages,
 * {@code reference:} of train stages). Forms:
 * <ul>
 *   <li>{@code teacher}: the generation's teacher (the previous generation's student), what the stage uses anyway;
 *   <li>{@code base}: this lineage's base, its generation 0;
 *   <li>{@code <lineage>@<k>}: generation {@code k} of that lineage (0 is its base);
 *   <li>{@code <lineage>@latest}, or just {@code <lineage>}: that lineage's last generation;
 *   <li>{@code <lineage>@same}: that lineage's generation with the number of the one running — an assistant or
 *       teacher that improves as the lineage goes on.
 * </ul>
 * Lineages run one after another in the order listed, so a stage may name the models of lineages listed before its
 * own, and of its own lineage only generations before the stage's first ({@code <own>@<k>}). {@code teacher} and
 * {@code base} mean the words, not lineages of those names (name those as {@code base@latest}).
 *
 * @param kind       which form
 * @param lineage    the lineage named, or null for teacher and base
 * @param generation the generation of {@link Kind#GENERATION}, else -1
 */
public record ModelRef(Kind kind, String lineage, int generation) {

  /** The forms, as error messages list them. */
  public static final String FORMS = "teacher, base, <lineage>, <lineage>@latest, <lineage>@<generation> or "
      + "<lineage>@same";

  private static final Pattern REF = Pattern.compile("([a-z0-9_-]+)(?:@(latest|same|[0-9]{1,4}))?");

  /** The form of a reference. */
  public enum Kind { TEACHER, BASE, LATEST, GENERATION, SAME }

  /** The generation's teacher, what a stage that names none uses. */
  public static final ModelRef TEACHER = new ModelRef(Kind.TEACHER, null, -1);

  /**
   * Reads a reference; null reads as {@link #TEACHER}.
   *
   * @throws IllegalArgumentException "expected …, found …" when the text has none of the forms
   */
  public static ModelRef parse(String text) {
    if (text == null || text.equals("teacher")) return TEACHER;
    if (text.equals("base")) return new ModelRef(Kind.BASE, null, -1);
    Matcher m = REF.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a model: " + FORMS + ", found " + Wording.quote(text));
    }
    String at = m.group(2);
    if (at == null || at.equals("latest")) return new ModelRef(Kind.LATEST, m.group(1), -1);
    if (at.equals("same")) return new ModelRef(Kind.SAME, m.group(1), -1);
    return new ModelRef(Kind.GENERATION, m.group(1), Integer.parseInt(at));
  }

  /** True for the forms that name a lineage. */
  public boolean namesLineage() { return lineage != null; }
}
