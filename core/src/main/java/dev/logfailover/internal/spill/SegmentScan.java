package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Recovery's check of a segment an earlier run left: every record from a start on, against its
 * length and checksum, up to the first bad one (a torn write or corruption). Stateless; a scan
 * reads only through the channel it is given.
 */
final class SegmentScan {
  /** Where the records to send start and the valid ones end, how many, and what follows them. */
  record Result(long start, long end, long records, long skippedBytes, String why) {}

  private SegmentScan() {
  }

  /** Scans {@code channel} from {@code from} (a checkpoint's offset, or the first record). */
  static Result scan(FileChannel channel, long from) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return new Result(SegmentFile.HEADER_BYTES, 0, 0, 0, null); // Sent, and emptied as it could not be deleted.
    }
    ByteBuffer magic = ByteBuffer.allocate(SegmentFile.HEADER_BYTES);
    if (size < SegmentFile.HEADER_BYTES || readFully(channel, magic, 0) < SegmentFile.HEADER_BYTES
        || !Arrays.equals(magic.array(), SegmentFile.MAGIC)) {
      return new Result(SegmentFile.HEADER_BYTES, 0, 0, size, "not a spill segment (no header)");
    }
    if (from < SegmentFile.HEADER_BYTES || from > size || !isRecordStart(channel, from)) {
      from = SegmentFile.HEADER_BYTES; // A checkpoint not at a record's start: resent whole, never skipped as damage.
    }
    CRC32C crc = new CRC32C();
    ByteBuffer millis = ByteBuffer.allocate(Long.BYTES);
    ByteBuffer header = ByteBuffer.allocate(SegmentFile.RECORD_HEADER_BYTES);
    long offset = from;
    long records = 0;
    String why = null;
    while (offset < size) {
      header.clear();
      if (size - offset < SegmentFile.RECORD_HEADER_BYTES
          || readFully(channel, header, offset) < SegmentFile.RECORD_HEADER_BYTES) {
        why = "a torn record header";
        break;
      }
      int length = header.getInt(0);
      if (length < 0 || length > size - offset - SegmentFile.RECORD_HEADER_BYTES) {
        why = length < 0 ? "a negative record length" : "a record cut short";
        break;
      }
      ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(channel, payload, offset + SegmentFile.RECORD_HEADER_BYTES);
      millis.putLong(0, header.getLong(8));
      if (SegmentFile.checksum(crc, millis.array(), payload.array(), 0, length) != header.getInt(4)) {
        why = "a checksum mismatch";
        break;
      }
      offset += SegmentFile.RECORD_HEADER_BYTES + length;
      records++;
    }
    return new Result(from, offset, records, size - offset, why);
  }

  /** Whether a record starts at {@code offset}, walking the record headers from the first. */
  private static boolean isRecordStart(FileChannel channel, long offset) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(SegmentFile.RECORD_HEADER_BYTES);
    long at = SegmentFile.HEADER_BYTES;
    while (at < offset) {
      header.clear();
      if (readFully(channel, header, at) < SegmentFile.RECORD_HEADER_BYTES || header.getInt(0) < 0) {
        return false;
      }
      at += SegmentFile.RECORD_HEADER_BYTES + header.getInt(0);
    }
    return at == offset;
  }

  /** Reads from {@code position} until {@code buffer} is full or the file ends; returns the bytes read. */
  static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
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
}
