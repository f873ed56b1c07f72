package dev.logfailover.log4j2;

import java.nio.ByteBuffer;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;

/**
 * Where a logging thread's layout writes one event ({@link Layout#encode}), reused from event to
 * event: a layout that supports Log4j2's garbage-free encoding lays the event out here with no
 * temporary string or byte array, and the engine's queue copies the bytes from here, so nothing
 * is allocated per event. A buffer grown for a large event goes back to its usual size at the
 * thread's next event.
 *
 * <p>Not thread-safe: one per logging thread ({@link #forThisThread()}).
 */
final class RecordBuffer implements ByteBufferDestination {
  private static final int USUAL_CAPACITY = 8 * 1024;
  private static final ThreadLocal<RecordBuffer> PER_THREAD = ThreadLocal.withInitial(RecordBuffer::new);

  private ByteBuffer buffer = ByteBuffer.allocate(USUAL_CAPACITY);

  static RecordBuffer forThisThread() {
    return PER_THREAD.get();
  }

  /** Lays {@code event} out with {@code layout}: its bytes are then {@link #array()} up to {@link #length()}. */
  void layOut(Layout<?> layout, LogEvent event) {
    if (buffer.capacity() > USUAL_CAPACITY) {
      buffer = ByteBuffer.allocate(USUAL_CAPACITY);
    }
    buffer.clear();
    layout.encode(event, this);
  }

  /** The event last laid out starts at index 0 of this array; valid until the next {@link #layOut}. */
  byte[] array() {
    return buffer.array();
  }

  int length() {
    return buffer.position();
  }

  @Override
  public ByteBuffer getByteBuffer() {
    return buffer;
  }

  /** The layout filled the buffer: a larger one takes what it holds, and the layout goes on there. */
  @Override
  public ByteBuffer drain(ByteBuffer full) {
    growFor(1);
    return buffer;
  }

  @Override
  public void writeBytes(ByteBuffer data) {
    ensureRoom(data.remaining());
    buffer.put(data);
  }

  @Override
  public void writeBytes(byte[] data, int offset, int length) {
    ensureRoom(length);
    buffer.put(data, offset, length);
  }

  private void ensureRoom(int length) {
    if (buffer.remaining() < length) {
      growFor(length);
    }
  }

  /** A larger buffer, holding what this one holds, with room for {@code length} more bytes. */
  private void growFor(int length) {
    ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + length));
    buffer.flip();
    larger.put(buffer);
    buffer = larger;
  }
}
