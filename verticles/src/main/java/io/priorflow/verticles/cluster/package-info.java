/**
 * One run across several JVMs or machines: cluster boot on Vert.x's Hazelcast cluster manager
 * ({@link io.priorflow.verticles.cluster.ClusterNode}, configured in code by
 * {@link io.priorflow.verticles.cluster.HazelcastSettings}: TCP-IP join, one interface, a cluster name per run,
 * quick failure detection), the worker node's control ({@link io.priorflow.verticles.cluster.WorkerNodeVerticle}),
 * the director's pool of worker nodes that re-sends a lost node's work
 * ({@link io.priorflow.verticles.cluster.WorkerPoolVerticle}), the cluster-wide model store
 * ({@link io.priorflow.verticles.cluster.HazelcastModelStore}) and local worker JVMs
 * ({@link io.priorflow.verticles.cluster.LocalNodes}). Not here: the actors and the executor themselves
 * ({@link io.priorflow.verticles}), the messages ({@link io.priorflow.verticles.bus}), the command line.
 */
package io.priorflow.verticles.cluster;
