package io.priorflow.verticles.bus;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything sent on priorflow's event bus: immutable records, written as JSON by {@link JacksonCodec} (never Java
 * serialization, which the clustered bus rejects). Commands are imperative ({@link Perform}), replies past tense
 * ({@link Performed}); a failed command gets a failure reply with a {@link Failure} code instead.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Perform.class, name = "perform"),
    @JsonSubTypes.Type(value = Performed.class, name = "performed")})
public sealed interface SimMessage permits Perform, Performed {}
