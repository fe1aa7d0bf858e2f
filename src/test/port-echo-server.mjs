// A stand-in for the web server under scripts/server-cluster.ts: listens on PORT and answers every
// request with its pid and the environment the cluster primary gave it; stops on SIGTERM.
import http from "node:http";
const server = http.createServer((_request, response) => {
  response.setHeader("content-type", "application/json");
  response.setHeader("connection", "close");
  response.end(
    JSON.stringify({ pid: process.pid, workers: process.env.HOLDFAST_WORKERS, processes: process.env.HOLDFAST_SERVER_PROCESSES }),
  );
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
