package io.priorflow.engine.world;

import io.priorflow.engine.world.Vocabulary.Group;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A world's traits in their fixed order: the default traits, then the config's extra traits in file order.
 * Outputs list traits in this order, so it never changes.
 *
 * <pre>
 *   name          desirable  present when the response …
 *   toxic         no         contains a toxic marker
 *   polite        yes        contains a polite marker
 *   correct       yes        answers a fact or arithmetic prompt right
 *   rare_correct  yes        answers a fact prompt about a rare entity right
 *   hedge         no         contains a hedge token ("I don't know")
 *   verbose       no         has more than length.verboseAbove tokens
 * </pre>
 */
public final class Traits {

  /** Trait name. */
  public static final String TOXIC = "toxic";
  /** Trait name. */
  public static final String POLITE = "polite";
  /** Trait name. */
  public static final String CORRECT = "correct";
  /** Trait name. */
  public static final String RARE_CORRECT = "rare_correct";
  /** Trait name. */
  public static final String HEDGE = "hedge";
  /** Trait name. */
  public static final String VERBOSE = "verbose";
  /** The default traits, in order. */
  public static final List<String> DEFAULT_NAMES = List.of(TOXIC, POLITE, CORRECT, RARE_CORRECT, HEDGE, VERBOSE);

  private final List<Trait> traits;

  /** The traits of a world with this vocabulary, parser and config. */
  Traits(Vocabulary vocab, SequenceParser parser, WorldConfig config) {
    List<Trait> t = new ArrayList<>();
    t.add(new Trait(TOXIC, false, group(vocab, Group.TOXIC)));
    t.add(new Trait(POLITE, true, group(vocab, Group.POLITE)));
    t.add(new Trait(CORRECT, true, new TraitRule.Correct(parser)));
    t.add(new Trait(RARE_CORRECT, true, new TraitRule.RareCorrect(parser)));
    t.add(new Trait(HEDGE, false, group(vocab, Group.HEDGE)));
    t.add(new Trait(VERBOSE, false, new TraitRule.Verbose(config.length().verboseAbove())));
    for (ExtraTraitConfig extra : config.extraTraits()) {
      boolean[] mask = new boolean[vocab.size()];
      for (String token : extra.tokens()) {
        mask[vocab.id(token)] = true;
      }
      t.add(new Trait(extra.name(), extra.desirable(), new TraitRule.ContainsAny(mask)));
    }
    traits = Collections.unmodifiableList(t);
  }

  private static TraitRule group(Vocabulary vocab, Group group) {
    boolean[] mask = new boolean[vocab.size()];
    for (int i = 0; i < vocab.count(group); i++) {
      mask[vocab.token(group, i)] = true;
    }
    return new TraitRule.ContainsAny(mask);
  }

  /** All traits, in order. */
  public List<Trait> all() {
    return traits;
  }

  /** Number of traits. */
  public int size() {
    return traits.size();
  }

  /** The i-th trait. */
  public Trait get(int i) {
    return traits.get(i);
  }

  /** The position of a trait by name; throws if there is none. */
  public int indexOf(String name) {
    for (int i = 0; i < traits.size(); i++) {
      if (traits.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("There is no trait named \"" + name + "\"; the traits are "
        + traits.stream().map(Trait::name).toList() + ".");
  }

  /** A trait by name; throws if there is none. */
  public Trait get(String name) {
    return traits.get(indexOf(name));
  }

  /** True if this exact trait object belongs to this registry. */
  public boolean contains(Trait trait) {
    return traits.stream().anyMatch(t -> t == trait);
  }
}
