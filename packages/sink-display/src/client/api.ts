/** GETs a JSON answer of the dashboard's API; rejects on a network error or a non-2xx status. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } })
  if (!res.ok) throw new Error(`${path}: HTTP ${String(res.status)}`)
  return (await res.json()) as T
}
