import { createStage } from '@linkyrpi/pipeline'
import type { PipelineFrame, Sink } from '@linkyrpi/tic-core/stage'
import { describeSinkContract } from './sink-contract.js'

// The automation stage is a sink like the others: one ack per frame in order, completion after
// its input (once every output is in its safe state), resubscription after unsubscribe.
describeSinkContract('automation (registry stage)', async (ctx) => ({
  sink: (
    await createStage<Sink<PipelineFrame>>(
      'automation',
      {
        outputs: {
          heater: { actuator: { type: 'none' }, safe: 'off', when: { period: ['hc'] } },
          charger: { actuator: { type: 'none' }, safe: 'off', shed: { priority: 1, powerW: 3000 } },
        },
      },
      ctx,
    )
  ).stage,
}))
