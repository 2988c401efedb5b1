/**
 * The neural models of priorflow: the immutable {@link io.priorflow.engine.model.TokenModel} (a fixed-window
 * autoregressive token model, or the same body with a scalar head for reward models and critics), its binary file
 * whose SHA-256 is the model id, and {@link io.priorflow.engine.model.ModelTraining}, which turns one model into
 * another with AdamW, training every weight or only LoRA adapters on a frozen base. Training methods (SFT, RLHF,
 * DPO…) are built on these in {@code io.priorflow.engine.train}; the math runs on a
 * {@link io.priorflow.kernels.backend.KernelBackend}.
 */
package io.priorflow.engine.model;
