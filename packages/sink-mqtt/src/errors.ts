/** The broker refused the credentials (or the client id): retrying cannot help, the node stops. */
export class MqttAuthError extends Error {
  override readonly name = 'MqttAuthError'
  /** Not transient: the pipeline does not retry it. */
  readonly transient = false
}
