// A real SMTP server on loopback (the smtp-server package) that keeps every message it is sent,
// for the tests of the email channel, the owner loop and the browser sign-in.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  from: string;
  raw: string;
}

export class Mailbox {
  readonly received: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];
  private readonly server: SMTPServer;
  private boundPort: number | null = null;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          this.waiters.splice(0).forEach((wake) => wake());
          callback();
        });
      },
    });
  }

  /** Listens on 127.0.0.1 (`port` 0: any free port) and resolves with the port. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.boundPort = (this.server.server.address() as AddressInfo).port;
        resolve(this.boundPort);
      });
    });
  }

  /** The URL the email channel is configured with. */
  get smtpUrl(): string {
    if (this.boundPort === null) throw new Error("the mailbox is not listening");
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The first mail to `address` (waits for it). */
  async mailTo(address: string, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.received.find((m) => m.to.includes(address));
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  }
}
