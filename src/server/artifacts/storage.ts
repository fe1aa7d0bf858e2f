// Where artifact bytes live, behind one small interface so an S3-compatible
// store can replace the local-disk default. Keys are content addresses
// (the SHA-256), so a repeated or retried upload writes the same file.
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";

export interface ArtifactStorage {
  /** Stores the bytes under `key`; storing the same key again is harmless. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when the key is unknown. */
  get(key: string): Promise<Uint8Array | null>;
}

export function contentKey(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

export class LocalDiskStorage implements ArtifactStorage {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    if (!/^[a-z0-9/_-]+$/i.test(key) || key.includes("..")) throw new Error(`invalid storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    if (await stat(target).then(() => true, () => false)) return;
    await mkdir(path.dirname(target), { recursive: true });
    // Write then rename: readers never see a half-written file.
    const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, target);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
}

export function defaultArtifactDir(): string {
  const configured = process.env.HOLDFAST_ARTIFACT_DIR;
  const dataDir = process.env.HOLDFAST_DATA_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), ".data");
  // A runtime location, not a source path: keep the bundler from tracing it.
  return path.resolve(/*turbopackIgnore: true*/ configured ?? path.join(/*turbopackIgnore: true*/ dataDir, "artifacts"));
}
