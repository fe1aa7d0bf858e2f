// A TCP relay to a server (the test database) that holds every connection until the test lets them through:
// for what a process does while one of its connections is still being made (a LISTEN not yet listening).
import net from "node:net";
import type { AddressInfo } from "node:net";

/** A relay to `target` (a postgres:// URL); `url` is the same URL through the relay. */
export async function heldRelay(target: URL) {
  let released = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.pause();
    const through = () => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    };
    if (released) through();
    else held.push(through);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    held: () => held.length,
    release() {
      released = true;
      for (const through of held.splice(0)) through();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
