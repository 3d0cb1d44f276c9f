import { Observable } from 'rxjs'
import type { NatsConnection } from '@nats-io/transport-node'
import { rawSubject } from './subjects.js'

/**
 * Raw bytes of a remote source from `linky.<site>.<source>.raw` over core NATS (live, at most
 * once: a decoder on the server sees what arrives while it runs). Cold; unsubscribing
 * unsubscribes from NATS.
 */
export function rawNatsSource(
  connection: NatsConnection,
  site: string,
  source: string,
): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    const sub = connection.subscribe(rawSubject(site, source), {
      callback: (error, msg) => {
        if (error !== null) subscriber.error(error)
        else subscriber.next(msg.data)
      },
    })
    return () => sub.unsubscribe()
  })
}
