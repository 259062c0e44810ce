import { connect, createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'

/** A TCP proxy in front of a server that can stop forwarding what the server sends, closing nothing: a network gone quiet. */
export interface QuietableProxy {
  readonly port: number
  /** The URL of `url`'s server through this proxy. */
  readonly url: string
  /** From now on, what the server sends is dropped (what the client sends still goes through). */
  goQuiet(): void
  /** Connections from clients still open (neither end closed). */
  openConnections(): number
  /** Ends every connection and stops listening. */
  close(): Promise<void>
}

/** Starts a {@link QuietableProxy} on a loopback port in front of the server `url` names. */
export async function startQuietableProxy(url: string): Promise<QuietableProxy> {
  const target = new URL(url)
  let quiet = false
  const sockets = new Set<Socket>()
  const clients = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    clients.add(client)
    client.on('data', (data: Buffer) => upstream.write(data))
    upstream.on('data', (data: Buffer) => {
      if (!quiet) client.write(data)
    })
    client.on('close', () => {
      clients.delete(client)
      upstream.destroy()
    })
    for (const socket of [client, upstream]) socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const through = new URL(target.href)
  through.hostname = '127.0.0.1'
  through.port = String(port)
  return {
    port,
    url: through.href,
    goQuiet: () => {
      quiet = true
    },
    openConnections: () => clients.size,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => {
        resolve()
      })
    }),
  }
}
