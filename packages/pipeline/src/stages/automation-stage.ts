import { automationOptionsSchema, automationSink } from '@linkyrpi/automation'
import type { AutomationOptions } from '@linkyrpi/automation'
import type { SinkDefinition } from '../stage-definition.js'
import { AUTOMATION_CONTROLLER, EVENT_JOURNAL } from '../tokens.js'

/**
 * `automation`: load shedding and automation (`@linkyrpi/automation`, docs/automation.md). Its
 * options are the rules (`outputs`, `shedding`, `staleAfterS`, `retry`): a stage rather than a
 * top-level section, so that it runs on the node that has the actuators (`node: pi` for GPIO),
 * reads the frames it is given (`from`), and is validated with the other stages. Journals into the
 * node's store when there is one ({@link EVENT_JOURNAL}); offers its controller to the dashboard
 * ({@link AUTOMATION_CONTROLLER}). Live: across nodes over core NATS, a small buffer that drops
 * the oldest frames (decisions are made on the newest reading, never on a backlog).
 */
export const automationStage: SinkDefinition<AutomationOptions> = {
  role: 'sink',
  summary:
    'load shedding and automation: rules, actuators (GPIO, HTTP, MQTT, NATS, shell), fail-safe',
  options: automationOptionsSchema,
  durable: false,
  buffer: { size: 100, inFlight: 100, overflow: 'drop-oldest' },
  create: (options, ctx, di) => {
    const { sink, controller } = automationSink(
      {
        rules: options,
        journal: () =>
          di.isRegistered(EVENT_JOURNAL, true) ? di.resolve(EVENT_JOURNAL) : undefined,
      },
      ctx,
    )
    if (!di.isRegistered(AUTOMATION_CONTROLLER))
      di.register(AUTOMATION_CONTROLLER, { useValue: controller })
    return sink
  },
}
