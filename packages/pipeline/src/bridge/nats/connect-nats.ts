import { readFile } from 'node:fs/promises'
import { connect, credsAuthenticator, nkeyAuthenticator } from '@nats-io/transport-node'
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node'
import type { Logger } from '@linkyrpi/tic-core/stage'
import type { NatsConfig } from '../../config/schema.js'

/**
 * Opens the node's NATS connection from the `nats` section: servers, credentials (user/pass,
 * token, `.creds` file, NKey seed file) and TLS (CA, client certificate and key). Reconnects
 * forever (`maxReconnectAttempts: -1`) and waits for the first connection, so a node may start
 * before its server. Connection events are logged.
 */
export async function connectNats(
  config: NatsConfig,
  name: string,
  logger: Logger,
): Promise<NatsConnection> {
  const options: NodeConnectionOptions = {
    servers: [...config.servers],
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect: true,
  }
  if (config.user !== undefined) options.user = config.user
  if (config.pass !== undefined) options.pass = config.pass
  if (config.token !== undefined) options.token = config.token
  if (config.credsFile !== undefined)
    options.authenticator = credsAuthenticator(await readFile(config.credsFile))
  else if (config.nkeySeedFile !== undefined) {
    const seed = (await readFile(config.nkeySeedFile, 'utf8')).trim()
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed))
  }
  if (config.tls !== undefined) {
    options.tls = {
      ...(config.tls.caFile !== undefined ? { caFile: config.tls.caFile } : {}),
      ...(config.tls.certFile !== undefined ? { certFile: config.tls.certFile } : {}),
      ...(config.tls.keyFile !== undefined ? { keyFile: config.tls.keyFile } : {}),
      ...(config.tls.handshakeFirst ? { handshakeFirst: true } : {}),
    }
  }
  const nc = await connect(options)
  logger.info('connected to NATS', { server: nc.getServer() })
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        logger.warn('NATS connection', {
          event: status.type,
          server: 'server' in status ? status.server : undefined,
        })
      }
    }
  })()
  return nc
}
