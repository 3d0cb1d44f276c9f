import type pgModule from 'pg'

/**
 * Imports `pg` without its Cloudflare Workers probe. On Node 20, which has no `navigator`,
 * pg 8 (`lib/stream.js`, at load) builds a `new Response()` to detect Cloudflare, which loads
 * Node's fetch (undici, with http, http2, tls, zlib and worker threads): about 10-15 ms of CPU
 * of every `linkyrpi report` on PostgreSQL, for nothing. A `navigator` saying Node.js, as Node
 * 21 and later define it, is set while pg loads and removed after; a `navigator` already there
 * is left alone.
 */
export async function importPg(): Promise<typeof pgModule> {
  const g = globalThis as { navigator?: unknown }
  if (g.navigator !== undefined) return (await import('pg')).default
  g.navigator = { userAgent: `Node.js/${process.versions.node}` }
  try {
    return (await import('pg')).default
  } finally {
    delete g.navigator
  }
}
