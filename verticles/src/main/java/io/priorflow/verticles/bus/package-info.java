/**
 * What travels on the event bus: the one sealed message hierarchy ({@link io.priorflow.verticles.bus.SimMessage}),
 * its Jackson codec, the addresses actors listen on and the failure codes they reply with. No behaviour and no
 * verticles here: those are in {@link io.priorflow.verticles}; the records the messages carry are in
 * {@link io.priorflow.engine.work}.
 */
package io.priorflow.verticles.bus;
