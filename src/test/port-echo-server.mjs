// A stand-in for the web server under scripts/server-cluster.ts: listens on PORT and answers every
// request with its pid and the environment the cluster primary gave it; stops on SIGTERM; `/crash` exits 3.
import http from "node:http";
const server = http.createServer((request, response) => {
  if (request.url === "/crash") process.exit(3);
  response.setHeader("content-type", "application/json");
  response.setHeader("connection", "close");
  response.end(
    JSON.stringify({ pid: process.pid, workers: process.env.HOLDFAST_WORKERS, processes: process.env.HOLDFAST_SERVER_PROCESSES }),
  );
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
