package io.priorflow.engine.run;

/**
 * One completed stage, as a line of {@code events.jsonl}. Wall-clock fields live here and never in lineage.json.
 *
 * @param stage          the stage id, e.g. "main/g2/s1-filter"
 * @param kind           pretrain, critic, generate, filter, label, train or evaluate
 * @param items          work items dispatched
 * @param data           data in the stage's output (or models trained / evaluated)
 * @param retries        items re-sent by the executor during the stage
 * @param wallMillis     wall time the stage took
 * @param makespanHours  simulated hours until the last labeller finished (labellers work in parallel)
 * @param humanHours     simulated human hours spent, summed over labellers
 * @param costUsd        simulated dollars paid to humans
 * @param aiLabels       labels given by AI critics
 * @param trainTokens    positions trained on (training stages)
 * @param finishedAt     ISO-8601 UTC wall time at the end of the stage
 */
public record StageEvent(String stage, String lineage, int generation, String kind, int items, int data,
                         long retries, long wallMillis, double makespanHours, double humanHours, double costUsd,
                         long aiLabels, long trainTokens, String finishedAt) {}
