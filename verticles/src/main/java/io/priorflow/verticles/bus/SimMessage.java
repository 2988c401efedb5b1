package io.priorflow.verticles.bus;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything sent on priorflow's event bus: immutable records, written as JSON by {@link JacksonCodec} (never Java
 * serialization, which the clustered bus rejects). Commands are imperative ({@link Perform}), replies past tense
 * ({@link Performed}); a failed command gets a failure reply with a {@link Failure} code instead. The cluster
 * protocol between a director and its worker nodes ({@link DeployActors}, {@link UndeployActors},
 * {@link WorkerJoined}) travels the same way.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Perform.class, name = "perform"),
    @JsonSubTypes.Type(value = Performed.class, name = "performed"),
    @JsonSubTypes.Type(value = DeployActors.class, name = "deploy_actors"),
    @JsonSubTypes.Type(value = ActorsDeployed.class, name = "actors_deployed"),
    @JsonSubTypes.Type(value = UndeployActors.class, name = "undeploy_actors"),
    @JsonSubTypes.Type(value = ActorsUndeployed.class, name = "actors_undeployed"),
    @JsonSubTypes.Type(value = WorkerJoined.class, name = "worker_joined")})
public sealed interface SimMessage
    permits Perform, Performed, DeployActors, ActorsDeployed, UndeployActors, ActorsUndeployed, WorkerJoined {}
