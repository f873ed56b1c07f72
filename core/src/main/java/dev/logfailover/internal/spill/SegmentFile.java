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
  /** Records between {@link #start} and {@link #end}. */
  private long records;
  private boolean writable;

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
    } catch (IOException | RuntimeException | Error e) {
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

  long records() {
    return records;
  }

  Path file() {
    return file;
  }

  /** Damage found at {@code offset} while this run read it: nothing from there on is read. */
  void cutAt(long offset, long recordsLeft) {
    end = offset;
    records -= recordsLeft;
  }

  boolean isWritable() {
    return writable;
  }

  void sealForWriting() {
    writable = false;
  }

  /**
   * Checks every record from {@code from} on against its length and checksum ({@link
   * SegmentScan}). The valid ones end at {@link #end()}; whatever follows the first bad one is
   * skipped (a torn write or corruption).
   */
  Scan scan(long from) throws IOException {
    SegmentScan.Result result = SegmentScan.scan(channel, from);
    start = result.start();
    end = result.end();
    records = result.records();
    return new Scan(result.records(), result.skippedBytes(), result.why());
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
      this.records += to - from;
      return written;
    } catch (IOException | RuntimeException | Error e) {
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
      throw new SegmentDamagedException("spill segment " + file + " has no whole record at " + start + " (it ends at " + end
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
    return SegmentScan.readFully(channel, buffer, position);
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
