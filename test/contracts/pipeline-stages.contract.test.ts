import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { container } from 'tsyringe'
import { DiagnosticsCollector, METRICS, createStage, renderMetrics } from '@linkyrpi/pipeline'
import type { PipelineFrame, Sink, Source, StageContext } from '@linkyrpi/tic-core/stage'
import { describeSinkContract } from './sink-contract.js'
import { describeSourceContract } from './source-contract.js'

// The pipeline's own stages and the documented custom-sink example pass the conformance suites.

const make =
  <S>(type: string, raw: Record<string, unknown>) =>
  async (ctx: StageContext): Promise<S> =>
    (await createStage<S>(type, raw, ctx)).stage

describeSourceContract(
  'simulator (as fast as possible)',
  make<Source>('simulator', { speed: 0, frames: 200 }),
  { finite: true },
)
// Paced, a frame comes in ~15 slices of 100 ms of line time: 40 chunks hold at least two frames.
describeSourceContract(
  'simulator (paced, 50× real time)',
  make<Source>('simulator', { speed: 50 }),
  { chunks: 40 },
)

describeSinkContract('log', async (ctx) => ({
  sink: await make<Sink<PipelineFrame>>('log', {})(ctx),
}))

describeSinkContract('metrics (standalone /metrics server)', async (ctx) => {
  const di = container.createChildContainer()
  const diagnostics = new DiagnosticsCollector(Date.now)
  di.register(METRICS, { useValue: () => renderMetrics(diagnostics) })
  return {
    sink: (await createStage<Sink<PipelineFrame>>('metrics', { port: 0 }, ctx, { container: di }))
      .stage,
  }
})

describeSinkContract('examples/csv-sink.mjs (custom module)', async (ctx) => {
  const dir = await mkdtemp(join(tmpdir(), 'linky-csv-'))
  const path = join(dir, 'out.csv')
  const module = (await import(
    fileURLToPath(new URL('../../packages/pipeline/examples/csv-sink.mjs', import.meta.url))
  )) as {
    default: { create(options: unknown, ctx: StageContext): Sink<PipelineFrame> }
  }
  return {
    sink: module.default.create({ path, flushMs: 20 }, ctx),
    stored: async () => (await readFile(path, 'utf8')).trim().split('\n').length - 1,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
})

describeSinkContract('sqlite (registry stage)', async (ctx) => {
  const dir = await mkdtemp(join(tmpdir(), 'linky-sqlite-contract-'))
  return {
    sink: await make<Sink<PipelineFrame>>('sqlite', {
      path: join(dir, `${ctx.stage}.db`),
      flushMs: 20,
    })(ctx),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
})
