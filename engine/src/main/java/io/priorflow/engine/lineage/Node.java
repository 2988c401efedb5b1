package io.priorflow.engine.lineage;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A node of the lineage graph. Ids are namespaced by type, so that sorting by id groups them:
 * {@code actor:<actor id>}, {@code dataset:<dataset name>}, {@code model:<model id>}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ActorNode.class, name = "actor"),
    @JsonSubTypes.Type(value = DatasetNode.class, name = "dataset"),
    @JsonSubTypes.Type(value = ModelNode.class, name = "model")})
public sealed interface Node permits ActorNode, DatasetNode, ModelNode {

  /** Prefix of actor node ids. */
  String ACTOR = "actor:";
  /** Prefix of dataset node ids. */
  String DATASET = "dataset:";
  /** Prefix of model node ids; equal to {@link io.priorflow.engine.data.Origins#MODEL_PREFIX}. */
  String MODEL = "model:";

  /** The node's id in the graph, with its type prefix. */
  String id();
}
