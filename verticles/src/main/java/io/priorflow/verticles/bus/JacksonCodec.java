package io.priorflow.verticles.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.priorflow.engine.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;

/**
 * The event-bus codec of every {@link SimMessage}. On the wire (between nodes of a cluster) a message is an int
 * length, then that many bytes of UTF-8 JSON written by {@link Json#messages()} [vert.x JsonObjectMessageCodec].
 * Within one node {@link #transform} hands the receiver the sender's instance: records are immutable, so no copy
 * is needed (JsonObjectMessageCodec copies only because a JsonObject is mutable).
 *
 * <p>Not here: model weights. Messages carry model ids; models travel through the
 * {@link io.priorflow.engine.work.ModelStore} by content hash.
 */
public final class JacksonCodec implements MessageCodec<SimMessage, SimMessage> {
  /** The codec's registered name. */
  public static final String NAME = "pf.jackson";

  /**
   * Registers the codec on the vertx's event bus, with a codec selector that picks it for every
   * {@link SimMessage}; every node does this once at boot, before deploying anything. Calling it again on the same
   * Vertx is harmless. The selector replaces any other: priorflow sends nothing else that needs one.
   *
   * @return the same vertx
   */
  public static Vertx register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new JacksonCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registerCodec refuses a second codec of the same name; ours is stateless, so the first one serves.
    }
    vertx.eventBus().codecSelector(body -> body instanceof SimMessage ? NAME : null);
    return vertx;
  }

  /** The message as UTF-8 JSON bytes. */
  public static byte[] toJson(SimMessage message) {
    try {
      return Json.messages().writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot write a " + message.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The message these UTF-8 JSON bytes hold.
   *
   * @throws IllegalArgumentException with Jackson's message (line, column, what was expected) if they hold none
   */
  public static SimMessage fromJson(byte[] json) {
    try {
      return Json.messages().readValue(json, SimMessage.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a valid priorflow message: " + e.getMessage(), e);
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, SimMessage message) {
    byte[] json = toJson(message);
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public SimMessage decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson(buffer.getBytes(pos + Integer.BYTES, pos + Integer.BYTES + length));
  }

  @Override
  public SimMessage transform(SimMessage message) {
    return message;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** −1: a user codec (system codec ids are Vert.x's own). */
  @Override
  public byte systemCodecID() {
    return -1;
  }
}
