import { displaySink } from '@linkyrpi/sink-display'
import { describeSinkContract } from '../contracts/sink-contract.js'

// The dashboard passes the same conformance suite as every sink: acks in order after the
// broadcast, completion after the input (server closed), resubscription after unsubscribe.
describeSinkContract('display (dashboard on a free port)', (ctx) => ({
  sink: displaySink({ host: '127.0.0.1', port: 0 }, ctx),
}))
