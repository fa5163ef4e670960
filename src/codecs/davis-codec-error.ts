/**
 * Error thrown by the low-level DaVis codecs (IMX, LZ4, 12-bit, zlib). It carries the byte offset
 * (relative to the array the codec was given) so a reader can turn it into a FormatError that names
 * the file and the absolute offset.
 */
export class CodecError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'CodecError';
    this.offset = offset;
  }
}
