import { postgresSink } from '@linkyrpi/sink-postgres'
import { sqliteSink } from '@linkyrpi/sink-sqlite'
import { openStore } from '@linkyrpi/pipeline'
import type { Store } from '@linkyrpi/store'
import { describeSinkContract } from '../contracts/sink-contract.js'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

// Both storage sinks pass the sink conformance suite, each on a fresh store per case; `stored`
// reads the samples back through the other engine-neutral door (openStore).

const pgUp = await tcpReachable('127.0.0.1', 5432)

async function samplesIn(target: TestTarget): Promise<number> {
  const store: Store = await openStore(target.target)
  try {
    const r = await store.engine.db
      .selectFrom('samples')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(r.n)
  } finally {
    await store.close()
  }
}

describeSinkContract('sqliteSink', (ctx) => {
  const target = sqliteTarget()
  const path = target.target.kind === 'sqlite' ? target.target.path : ''
  return {
    sink: sqliteSink({ path, flushMs: 20, retentionDays: 0 }, ctx),
    stored: () => samplesIn(target),
    cleanup: () => target.dispose(),
  }
})

describeWithService('postgresql', pgUp, 'postgresSink conformance', () => {
  describeSinkContract('postgresSink', (ctx) => {
    const target = postgresTarget()
    return {
      sink: postgresSink(
        { url: target.text, flushMs: 20, retentionDays: 0, spool: { dir: `${target.dir}/spool` } },
        ctx,
      ),
      stored: () => samplesIn(target),
      cleanup: () => target.dispose(),
    }
  })
})
