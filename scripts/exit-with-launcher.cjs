// Preloaded (node --require) into every process the launcher starts (scripts/holdfast.ts): when
// the launcher is gone without having stopped us — killed, or its terminal closed — this process
// stops too (a SIGTERM to itself, so its own shutdown runs) instead of running on as an orphan
// holding a port. The IPC channel closes the moment the launcher dies; the parent-pid check
// covers a process started without one.
"use strict";
const launcherPid = process.ppid;
let stopping = false;
function launcherGone() {
  if (stopping) return;
  stopping = true;
  process.kill(process.pid, "SIGTERM");
  // Its SIGTERM handler should end it; if it does not within the grace period, end it here.
  setTimeout(() => process.exit(1), 15_000).unref();
}
if (process.channel) {
  process.once("disconnect", launcherGone);
  process.channel.unref();
}
setInterval(() => {
  if (process.ppid !== launcherPid) launcherGone();
}, 500).unref();
