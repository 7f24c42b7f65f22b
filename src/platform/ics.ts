/** Calendar files (RFC 5545), made with the `ics` package: what every calendar file of the service shares. */

/**
 * RFC 5545 3.1: content lines longer than 75 octets are folded (a CRLF and a space), never inside
 * a character. The `ics` package folds at 75 characters, which an accented title overruns in
 * octets: its output is unfolded and folded again by octets.
 */
export function foldOctets(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines
    .map((line) => {
      if (Buffer.byteLength(line) <= 75) return line;
      const parts: string[] = [];
      let current = '';
      let bytes = 0;
      let limit = 75;
      for (const char of line) {
        const size = Buffer.byteLength(char);
        if (bytes + size > limit) {
          parts.push(current);
          current = '';
          bytes = 0;
          limit = 74; // the continuation's leading space is its 75th octet
        }
        current += char;
        bytes += size;
      }
      parts.push(current);
      return parts.join('\r\n ');
    })
    .join('\r\n');
}
