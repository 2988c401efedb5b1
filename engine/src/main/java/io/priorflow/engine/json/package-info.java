/**
 * The one place where Jackson {@code ObjectMapper}s are built: {@link io.priorflow.engine.json.Json#messages()}
 * for the event bus (compact) and {@link io.priorflow.engine.json.Json#lineage()} for lineage files (sorted keys,
 * indented, {@code \n} line ends), plus the lineage id, the SHA-256 of an object's sorted JSON. No records live
 * here, and no code that reads or writes files.
 */
package io.priorflow.engine.json;
