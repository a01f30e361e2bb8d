import { type Readable, Transform } from "node:stream";
import { crc32 } from "node:zlib";
import yauzl from "yauzl";

/** Opens a zip to read its entries one at a time (its central directory only; no entry is read yet). */
export function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, decodeStrings: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
}

export function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

/** Passes the bytes on, and fails at the end if they are not the bytes the zip recorded. */
export function checkCrc(stream: Readable, expected: number): Readable {
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      done(crc === expected ? null : new Error("CRC mismatch: the file in the zip is damaged"));
    },
  });
  stream.on("error", (error) => check.destroy(error));
  return stream.pipe(check);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
