import { fork, type ChildProcess } from 'node:child_process';

/** Messages between the bench and a process it started: `{ type, ... }`. */
export interface Message {
  type: string;
  [key: string]: unknown;
}

/**
 * A TypeScript file run in a process of its own (through tsx), talked to over IPC: the
 * process under measurement never shares an event loop with the load generator.
 */
export class Child {
  readonly #process: ChildProcess;
  readonly #exited: Promise<number | null>;
  readonly #waiting: { type: string; resolve: (m: Message) => void }[] = [];
  readonly #inbox: Message[] = [];

  constructor(file: URL, env: Record<string, string> = {}) {
    this.#process = fork(file.pathname, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#process.on('message', (m: Message) => {
      const i = this.#waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) this.#waiting.splice(i, 1)[0]!.resolve(m);
      else this.#inbox.push(m);
    });
    this.#exited = new Promise((resolve) => this.#process.on('exit', (code) => resolve(code)));
  }

  /** The next message of this type (one already received counts). */
  next(type: string, timeoutMs = 600_000): Promise<Message> {
    const i = this.#inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.#inbox.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      void this.#exited.then((code) => reject(new Error(`the process exited (${code}) before sending "${type}"`)));
    });
  }

  send(message: Message): void {
    this.#process.send(message);
  }

  /** Sends a message and waits for the reply of the given type. */
  ask(message: Message, replyType: string): Promise<Message> {
    const reply = this.next(replyType);
    this.send(message);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGTERM');
    await this.#exited;
  }
}

/** In a child: sends a message to the bench. */
export function tell(message: Message): void {
  process.send!(message);
}

/** In a child: calls `handle` for each message from the bench. */
export function listen(handle: (message: Message) => void | Promise<void>): void {
  process.on('message', (m: Message) => {
    Promise.resolve(handle(m)).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  });
}
