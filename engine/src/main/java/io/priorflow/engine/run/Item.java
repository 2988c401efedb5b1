package io.priorflow.engine.run;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.world.Prompt;

/** A datum in flight between the stages of a generation, with the prompt it answers (corrections answer it anew). */
record Item(Datum datum, Prompt prompt) {}
