import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { openSqliteStore } from '../../sink-sqlite/dist/index.js'
import { openPostgresStore } from '../../sink-postgres/dist/index.js'
import { syntheticFrames } from '../dist/testing/index.js'
const kind = process.argv[2]
const store = kind === 'sqlite' ? await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'lr-')), 'b.db')) : await openPostgresStore(`postgres://root@127.0.0.1:5432/test?schema=prof_lr${Math.random().toString(36).slice(2, 6)}`)
let b = []
for (const f of syntheticFrames({ start: Date.UTC(2026, 0, 1), count: 86400 * 3 / 2 })) { b.push({ reading: f.reading, receivedAt: f.meta.receivedAt }); if (b.length === 5000) { await store.ingest.write(b); b = [] } }
await store.ingest.write(b)
for (const q of ['select * from latest_reading', "select * from samples where meter = '021861348591' and t > 1767312000000 order by t limit 10", 'select count(*) from power_curve']) {
  const t0 = performance.now(); const r = await sql.raw(q).execute(store.engine.db); console.log(kind, q.slice(0, 60), r.rows.length, (performance.now() - t0).toFixed(0), 'ms')
}
if (kind !== 'sqlite') await sql.raw('drop schema ' + store.engine.schema + ' cascade').execute(store.engine.db)
await store.close()
