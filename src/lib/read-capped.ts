/** Reading a stream whole, up to a limit. */

/**
 * The bytes of `stream`, refused with `tooLarge()` the moment they pass `limit`: nothing past the
 * limit is held. Leaving the loop early ends the stream.
 */
export async function readCapped(stream: AsyncIterable<Uint8Array>, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
