/** File helpers shared by every writer of run outputs: atomic whole-file writes. No formats live here. */
package io.priorflow.engine.io;
