import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { COMPRESS_MIN_BYTES, gzipBody } from './compress.js'

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
}

/** One static file in memory. */
export interface StaticFile {
  readonly body: Buffer
  readonly type: string
  /** True for content-hashed assets (cacheable forever). */
  readonly immutable: boolean
  /** The body gzipped once at first read, for text files of at least 1 KiB; else null. */
  readonly gzipped: Buffer | null
}

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest'])

/**
 * The built client directory: `dist/client` beside the compiled server (`dist/*.js`), or the
 * package's `dist/client` when running from source (tests).
 */
export function defaultClientDir(): string | undefined {
  // From source, src/client holds the unbuilt client (index.html too): require the built assets.
  const candidates = [
    new URL('./client/', import.meta.url),
    new URL('../dist/client/', import.meta.url),
  ]
  for (const c of candidates) {
    const dir = fileURLToPath(c)
    if (existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) return dir
  }
  return undefined
}

/** Serves files of one directory, read once and kept (the client is a few hundred KB). */
export class StaticFiles {
  readonly #cache = new Map<string, StaticFile | null>()

  constructor(private readonly root: string) {}

  /** The file for a URL path, or null (missing or outside the root). */
  async get(urlPath: string): Promise<StaticFile | null> {
    const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '')
    const cached = this.#cache.get(rel)
    if (cached !== undefined) return cached
    const full = normalize(join(this.root, rel))
    if (!full.startsWith(normalize(this.root + sep))) return null
    let file: StaticFile | null = null
    try {
      const body = await readFile(full)
      const ext = extname(full)
      const gzipped =
        COMPRESSIBLE.has(ext) && body.length >= COMPRESS_MIN_BYTES ? await gzipBody(body) : null
      file = {
        body,
        type: TYPES[ext] ?? 'application/octet-stream',
        immutable: rel.startsWith('assets/'),
        gzipped,
      }
    } catch {
      // Missing file: a 404, remembered so that probes do not hit the disk again.
      file = null
    }
    if (this.#cache.size < 256) this.#cache.set(rel, file)
    return file
  }
}
