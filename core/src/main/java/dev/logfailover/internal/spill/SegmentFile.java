package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One segment file of the spill: an 8-byte header ({@link #MAGIC}), then records, each a 16-byte
 * header (payload length, CRC32C of the millis and the payload, the millis it was written at)
 * followed by the payload. Records are only appended at the end, and a segment is read and deleted
 * whole; {@link #end()} is where the valid records end (a recovered segment's damaged tail lies
 * beyond it and is never read).
 *
 * <p>Not thread-safe: {@link SpillStore} calls it under its monitor.
 */
final class SegmentFile {
  /** "LFSPILL" and the format's version. */
  static final byte[] MAGIC = "LFSPILL1".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER_BYTES = MAGIC.length;
  static final int RECORD_HEADER_BYTES = 16;
  /** New spills start numbering here, leaving room below for segments written before the first. */
  static final long FIRST_SEQUENCE = 1L << 40;
  /** Between two segments appended one after the other: room for segments put between them at a stop. */
  static final long SEQUENCE_STEP = 1L << 20;

  /** What a scan of a recovered segment found. */
  record Scan(long records, long skippedBytes, String why) {}

  private final Path file;
  private final long sequence;
  private final SpillIo io;
  private FileChannel channel;
  /** Where its first record not yet sent starts: after the header, or a clean stop's checkpoint. */
  private long start = HEADER_BYTES;
  private long end;
  private boolean writable;
  private final CRC32C crc = new CRC32C();
  /** The millis of a record, big-endian, as its checksum covers them. */
  private final ByteBuffer millisBytes = ByteBuffer.allocate(Long.BYTES);

  private SegmentFile(Path file, long sequence, SpillIo io, FileChannel channel, long end, boolean writable) {
    this.file = file;
    this.sequence = sequence;
    this.io = io;
    this.channel = channel;
    this.end = end;
    this.writable = writable;
  }

  /** A new, empty segment, ready to append to. */
  static SegmentFile create(Path directory, long sequence, boolean sync, SpillIo io) throws IOException {
    Path file = directory.resolve(SegmentNames.of(sequence));
    FileChannel channel = io.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      writeFully(channel, ByteBuffer.wrap(MAGIC), 0);
      if (sync) {
        channel.force(true);
        PrivateFiles.forceDirectory(directory); // The new segment's name too, not only its bytes.
      }
    } catch (IOException e) {
      channel.close();
      io.delete(file);
      throw e;
    }
    return new SegmentFile(file, sequence, io, channel, HEADER_BYTES, true);
  }

  /** A segment an earlier run left; {@link #scan} says where its valid records end. */
  static SegmentFile openExisting(Path file, SpillIo io) throws IOException {
    long sequence = SegmentNames.sequenceOf(file);
    return new SegmentFile(file, sequence, io, io.open(file, StandardOpenOption.READ), 0, false);
  }

  long sequence() {
    return sequence;
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  boolean isWritable() {
    return writable;
  }

  void sealForWriting() {
    writable = false;
  }

  /**
   * Checks every record from {@code from} on against its length and checksum. The valid ones end
   * at {@link #end()}; whatever follows the first bad one is skipped (a torn write or corruption).
   */
  Scan scan(long from) throws IOException {
    long size = channel.size();
    if (size == 0) {
      end = 0;
      return new Scan(0, 0, null); // Sent, and emptied because it could not be deleted: no damage.
    }
    ByteBuffer magic = ByteBuffer.allocate(HEADER_BYTES);
    if (size < HEADER_BYTES || readFully(magic, 0) < HEADER_BYTES || !Arrays.equals(magic.array(), MAGIC)) {
      end = 0;
      return new Scan(0, size, "not a spill segment (no header)");
    }
    if (from < HEADER_BYTES || from > size || !isRecordStart(from)) {
      from = HEADER_BYTES; // A checkpoint that is not at a record's start: resent whole, never skipped as damage.
    }
    start = from;
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    long offset = from;
    long records = 0;
    String why = null;
    while (offset < size) {
      header.clear();
      if (size - offset < RECORD_HEADER_BYTES || readFully(header, offset) < RECORD_HEADER_BYTES) {
        why = "a torn record header";
        break;
      }
      int length = header.getInt(0);
      if (length < 0 || length > size - offset - RECORD_HEADER_BYTES) {
        why = length < 0 ? "a negative record length" : "a record cut short";
        break;
      }
      ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(payload, offset + RECORD_HEADER_BYTES);
      millisBytes.putLong(0, header.getLong(8));
      if (checksum(crc, millisBytes.array(), payload.array(), 0, length) != header.getInt(4)) {
        why = "a checksum mismatch";
        break;
      }
      offset += RECORD_HEADER_BYTES + length;
      records++;
    }
    end = offset;
    return new Scan(records, size - offset, why);
  }

  /** Whether a record starts at {@code offset}, walking the record headers from the first. */
  private boolean isRecordStart(long offset) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    long at = HEADER_BYTES;
    while (at < offset) {
      header.clear();
      if (readFully(header, at) < RECORD_HEADER_BYTES || header.getInt(0) < 0) {
        return false;
      }
      at += RECORD_HEADER_BYTES + header.getInt(0);
    }
    return at == offset;
  }

  /**
   * Appends records {@code from} to {@code to} (exclusive) of {@code records}, framed there, with
   * one write; returns the bytes written. All or none: after a failed write (no space, say) the
   * file is cut back to where the records were to start, so that a crash cannot bring back records
   * that were counted as not spilled.
   */
  long append(RecordBatch records, int from, int to, boolean sync) throws IOException {
    try {
      ByteBuffer run = records.framed(from, to);
      long written = run.remaining();
      writeFully(channel, run, end);
      if (sync) {
        channel.force(false);
      }
      end += written;
      return written;
    } catch (IOException e) {
      try {
        channel.truncate(end);
      } catch (IOException | RuntimeException ignored) {
        e.addSuppressed(ignored); // Past end, so never read by this run; a crash may bring them back.
      }
      throw e;
    }
  }

  /**
   * Reads whole records from {@code offset} on, at most {@code maxRecords} and at least one, into
   * {@code into}; returns the end offset of each.
   */
  long[] readRecords(long offset, ByteBuffer buffer, int maxRecords, List<byte[]> into) throws IOException {
    long start = offset;
    buffer.clear().limit((int) Math.min(buffer.capacity(), end - offset));
    readFully(buffer, offset);
    buffer.flip();
    if (buffer.remaining() >= RECORD_HEADER_BYTES && isWhole(buffer.getInt(0), offset)
        && RECORD_HEADER_BYTES + buffer.getInt(0) > buffer.remaining()) {
      // One record larger than the buffer: read it alone.
      buffer = ByteBuffer.allocate(RECORD_HEADER_BYTES + buffer.getInt(0));
      readFully(buffer, offset);
      buffer.flip();
    }
    long[] ends = new long[Math.min(maxRecords, buffer.remaining() / RECORD_HEADER_BYTES)];
    int count = 0;
    while (count < ends.length && buffer.remaining() >= RECORD_HEADER_BYTES) {
      int length = buffer.getInt(buffer.position());
      if (!isWhole(length, offset) || buffer.remaining() < RECORD_HEADER_BYTES + length) {
        break;
      }
      buffer.position(buffer.position() + RECORD_HEADER_BYTES);
      byte[] record = new byte[length];
      buffer.get(record);
      into.add(record);
      offset += RECORD_HEADER_BYTES + length;
      ends[count++] = offset;
    }
    if (count == 0 && maxRecords > 0) {
      // This run wrote a whole record here: the file changed under us (cut short, or damaged).
      throw new IOException("spill segment " + file + " has no whole record at " + start + " (it ends at " + end
          + " as written): damaged or cut short since");
    }
    return Arrays.copyOf(ends, count);
  }

  /** A record of {@code length} bytes at {@code offset} lies within what was written. */
  private boolean isWhole(int length, long offset) {
    return length >= 0 && length <= end - offset - RECORD_HEADER_BYTES;
  }

  /**
   * When the record at {@code offset} was written. Asked from any thread (status, metrics, JMX)
   * through a channel of its own: an interrupt of that thread closes only this one, never the
   * segment's (F17).
   */
  long writtenAtMillis(long offset) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    try (FileChannel own = io.open(file, StandardOpenOption.READ)) {
      while (header.hasRemaining() && own.read(header, offset + header.position()) > 0) {
        // Reads the 16 bytes of the header.
      }
    }
    return header.getLong(8);
  }

  /** A record's checksum: CRC32C of its millis ({@code millisBigEndian}, 8 bytes) and its bytes. */
  static int checksum(CRC32C crc, byte[] millisBigEndian, byte[] bytes, int from, int length) {
    crc.reset();
    crc.update(millisBigEndian, 0, Long.BYTES);
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }

  private int readFully(ByteBuffer buffer, long position) throws IOException {
    int total = 0;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position + total);
      if (read < 0) {
        break;
      }
      total += read;
    }
    return total;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }

  void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /**
   * Deletes the file, all of whose records were sent. If it cannot be, it is emptied instead: the
   * next start deletes an empty segment without sending anything. Throws only when neither works,
   * and then the next start sends its records again.
   */
  void delete() throws IOException {
    closeChannel();
    try {
      io.delete(file);
    } catch (IOException deleteFailed) {
      try (FileChannel emptied = io.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        emptied.force(true);
      } catch (IOException | RuntimeException emptyFailed) {
        deleteFailed.addSuppressed(emptyFailed);
        throw deleteFailed;
      }
    }
  }
}
