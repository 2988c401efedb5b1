package io.priorflow.engine.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The world's tokens: ids 0..size−1 in named groups, each token with a printable name.
 *
 * <pre>
 *   id  0..3    SPECIAL    PAD BOS SEP EOS
 *   id  4..6    TAG        tag_low tag_mid tag_high
 *   id  7..9    QUESTION   what compute chat           (the word that opens each prompt kind)
 *   id 10..11   OPERATOR   plus minus
 *   id 12..21   DIGIT      0 … 9
 *   then        ENTITY ent00…, ATTRIBUTE color city …, VALUE val0…, POLITE please thanks …,
 *               TOXIC idiot stupid …, HEDGE idk unsure …, FILLER the a …   (sizes from VocabularyConfig)
 * </pre>
 * A sequence is {@code BOS tag prompt… SEP response… EOS}. A token model sees the last C tokens before the
 * position it predicts, with PAD before the start ({@link #contextWindow}). This class only names tokens; what
 * they mean is up to {@link World} and {@link SequenceParser}.
 */
public final class Vocabulary {

  /** The token groups, in id order. */
  public enum Group { SPECIAL, TAG, QUESTION, OPERATOR, DIGIT, ENTITY, ATTRIBUTE, VALUE, POLITE, TOXIC, HEDGE, FILLER }

  /** Padding before the start of a sequence. */
  public static final int PAD = 0;
  /** Begin of sequence. */
  public static final int BOS = 1;
  /** Separates prompt from response. */
  public static final int SEP = 2;
  /** End of sequence. */
  public static final int EOS = 3;

  private static final List<String> ATTRIBUTES =
      List.of("color", "city", "year", "size", "owner", "food", "sport", "song");
  private static final List<String> POLITE =
      List.of("please", "thanks", "kindly", "gladly", "cheers", "welcome", "sorry", "dear");
  private static final List<String> TOXIC =
      List.of("idiot", "stupid", "shut_up", "loser", "dumb", "trash", "hate", "ugh");
  private static final List<String> HEDGE = List.of("idk", "unsure", "no_idea", "maybe_not");
  private static final List<String> FILLER = List.of("the", "a", "of", "and", "to", "in", "it", "is", "that",
      "so", "well", "ok", "then", "also", "just", "like", "very", "really", "yes", "no", "now", "here", "there",
      "this", "more", "some", "all", "good", "fine", "sure", "right", "yeah");

  private final VocabularyConfig config;
  private final String[] names;
  private final Group[] groups;
  private final int[] start = new int[Group.values().length];
  private final int[] count = new int[Group.values().length];
  private final Map<String, Integer> ids = new HashMap<>();

  /** @throws IllegalArgumentException if a group size is out of range */
  public Vocabulary(VocabularyConfig config) {
    ConfigChecks checks = new ConfigChecks();
    config.check("vocabulary.", checks);
    ConfigChecks.throwIfAny("Vocabulary config", checks.problems());
    this.config = config;
    List<String> n = new ArrayList<>();
    List<Group> g = new ArrayList<>();
    add(n, g, Group.SPECIAL, List.of("PAD", "BOS", "SEP", "EOS"));
    add(n, g, Group.TAG, Arrays.stream(Tag.values()).map(Tag::tokenName).toList());
    add(n, g, Group.QUESTION, Arrays.stream(PromptKind.values()).map(PromptKind::word).toList());
    add(n, g, Group.OPERATOR, Arrays.stream(Operator.values()).map(Operator::word).toList());
    add(n, g, Group.DIGIT, numbered("", 10));
    add(n, g, Group.ENTITY, numbered("ent", config.entities()));
    add(n, g, Group.ATTRIBUTE, ATTRIBUTES.subList(0, config.attributes()));
    add(n, g, Group.VALUE, numbered("val", config.values()));
    add(n, g, Group.POLITE, POLITE.subList(0, config.polite()));
    add(n, g, Group.TOXIC, TOXIC.subList(0, config.toxic()));
    add(n, g, Group.HEDGE, HEDGE.subList(0, config.hedge()));
    add(n, g, Group.FILLER, FILLER.subList(0, config.filler()));
    names = n.toArray(String[]::new);
    groups = g.toArray(Group[]::new);
    for (int id = 0; id < names.length; id++) {
      ids.put(names[id], id);
    }
  }

  private void add(List<String> n, List<Group> g, Group group, List<String> tokens) {
    start[group.ordinal()] = n.size();
    count[group.ordinal()] = tokens.size();
    for (String t : tokens) {
      n.add(t);
      g.add(group);
    }
  }

  /** "ent00", "ent01", … (two digits when there are more than 10), or "0".."9" for an empty prefix. */
  private static List<String> numbered(String prefix, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prefix.isEmpty() || n <= 10 ? prefix + i : String.format("%s%02d", prefix, i));
    }
    return out;
  }

  /** The config the vocabulary was built from. */
  public VocabularyConfig config() {
    return config;
  }

  /** Number of tokens. */
  public int size() {
    return names.length;
  }

  /** The printable name of a token. */
  public String name(int id) {
    checkId(id);
    return names[id];
  }

  /** All names in id order. */
  public List<String> names() {
    return List.of(names);
  }

  /** The id of a named token; throws if there is none. */
  public int id(String name) {
    Integer id = ids.get(name);
    if (id == null) {
      throw new IllegalArgumentException("The vocabulary has no token named \"" + name + "\"; it has "
          + names.length + " tokens: " + String.join(" ", names) + ".");
    }
    return id;
  }

  /** True if a token has this name. */
  public boolean contains(String name) {
    return ids.containsKey(name);
  }

  /** The group of a token. */
  public Group group(int id) {
    checkId(id);
    return groups[id];
  }

  /** True if id is a token of the group. */
  public boolean is(int id, Group group) {
    return id >= start[group.ordinal()] && id < start[group.ordinal()] + count[group.ordinal()];
  }

  /** The first id of a group. */
  public int first(Group group) {
    return start[group.ordinal()];
  }

  /** The number of tokens in a group. */
  public int count(Group group) {
    return count[group.ordinal()];
  }

  /** The index-th token of a group (e.g. token(DIGIT, 7) is "7"). */
  public int token(Group group, int index) {
    if (index < 0 || index >= count(group)) {
      throw new IllegalArgumentException(
          "Group " + group + " has " + count(group) + " tokens, so index " + index + " is out of range.");
    }
    return start[group.ordinal()] + index;
  }

  /** The index of a token within its own group. */
  public int indexInGroup(int id) {
    return id - start[group(id).ordinal()];
  }

  /** The token of a quality tag. */
  public int token(Tag tag) {
    return token(Group.TAG, tag.ordinal());
  }

  /** The tokens separated by spaces, e.g. "BOS tag_high what color ent03 SEP val5 EOS". */
  public String format(int[] tokens) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      b.append(i == 0 ? "" : " ").append(name(tokens[i]));
    }
    return b.toString();
  }

  /**
   * Fills out[0..width) with the width tokens before position: out[j] = tokens[position − width + j], PAD where
   * that index is negative. The token at position is the one a model predicts from this window.
   */
  public static void contextWindow(int[] tokens, int position, int width, int[] out) {
    if (position < 0 || position > tokens.length || out.length < width) {
      throw new IllegalArgumentException("A context window of width " + width + " before position " + position
          + " needs 0 ≤ position ≤ " + tokens.length + " and an output of length ≥ width, got " + out.length + ".");
    }
    for (int j = 0; j < width; j++) {
      int i = position - width + j;
      out[j] = i >= 0 ? tokens[i] : PAD;
    }
  }

  private void checkId(int id) {
    if (id < 0 || id >= names.length) {
      throw new IllegalArgumentException(
          "Token id " + id + " is outside the vocabulary of " + names.length + " tokens.");
    }
  }
}
