/**
 * Labelling, AI critics and red teaming as pure functions: the simulated human's judgement ({@link
 * io.priorflow.engine.label.HumanJudge}: accuracy, biases, fatigue, anchoring on AI pre-labels), agreement between
 * labellers (Cohen's and Fleiss' kappa) and the plan that has some items labelled several times, labour cost and
 * makespan, constitutions of learned trait classifiers, the red team's prompt search, and the data these produce.
 * Nothing here is a work item or touches the bus: the actors of {@code io.priorflow.engine.work} call it.
 */
package io.priorflow.engine.label;
