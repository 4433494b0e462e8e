// TCP-level probes: is something listening on a port, and which process is it.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";
import { describeProcess, listPids } from "./process-control.ts";

export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Socket inodes listening on `port` (any address), from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (local?.endsWith(`:${portHex}`) && state === "0A" && inode && inode !== "0") inodes.add(inode);
    }
  }
  return inodes;
}

/** "pid 123 (cmdline)" of the process listening on `port`, or a generic note if we can't tell. */
export function describePortOwner(port: number): string {
  const inodes = listeningInodes(port);
  if (inodes.size > 0) {
    for (const pid of listPids()) {
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          if (match?.[1] && inodes.has(match[1])) return describeProcess(pid);
        } catch {
          // fd closed meanwhile
        }
      }
    }
  }
  return "a process this user cannot see";
}
