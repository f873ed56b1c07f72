package dev.logfailover.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads one flat JSON object of string values, the collectors' output lines. */
final class FlatJson {
  private FlatJson() {}

  static Map<String, String> parse(String json) {
    Map<String, String> fields = new LinkedHashMap<>();
    int[] at = {json.indexOf('{') + 1};
    while (true) {
      skipSpaceAnd(json, at, ',');
      if (json.charAt(at[0]) == '}') {
        return fields;
      }
      String key = string(json, at);
      skipSpaceAnd(json, at, ':');
      fields.put(key, string(json, at));
    }
  }

  private static void skipSpaceAnd(String json, int[] at, char separator) {
    while (Character.isWhitespace(json.charAt(at[0])) || json.charAt(at[0]) == separator) {
      at[0]++;
    }
  }

  private static String string(String json, int[] at) {
    if (json.charAt(at[0]) != '"') {
      throw new IllegalArgumentException("expected a string at " + at[0] + " in " + json);
    }
    StringBuilder value = new StringBuilder();
    for (int i = at[0] + 1; ; i++) {
      char c = json.charAt(i);
      if (c == '"') {
        at[0] = i + 1;
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = json.charAt(++i);
      switch (escaped) {
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'u' -> {
          value.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> value.append(escaped);
      }
    }
  }
}
