import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  /** The body as text when asked for, else empty (it is read and dropped). */
  readonly body: string;
  readonly location: string | undefined;
}

export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as an HTML form (application/x-www-form-urlencoded). */
  readonly form?: Readonly<Record<string, string>>;
  readonly keepBody?: boolean;
}

const TIMEOUT_MS = 30_000;

/** Keep-alive HTTP/1.1 to one origin with at most `connections` sockets, as the load client. */
export class HttpTarget {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(origin: string, connections: number) {
    const url = new URL(origin);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  send(call: HttpCall): Promise<HttpAnswer> {
    const body = call.form ? new URLSearchParams(call.form).toString() : undefined;
    const headers: Record<string, string> = { ...call.headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method: call.method,
          path: call.path,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          if (call.keepBody) res.on('data', (chunk: Buffer) => chunks.push(chunk));
          else res.resume();
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: call.keepBody ? Buffer.concat(chunks).toString('utf8') : '',
              location: res.headers.location,
            }),
          );
        },
      );
      req.setTimeout(TIMEOUT_MS, () =>
        req.destroy(new Error(`${call.method} ${call.path}: no answer in 30 s`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Sends the call and throws unless the status is the one expected. */
  async expect(status: number, call: HttpCall): Promise<HttpAnswer> {
    const answer = await this.send(call);
    if (answer.status !== status) {
      throw new Error(`${call.method} ${call.path}: ${answer.status}, expected ${status}`);
    }
    return answer;
  }

  close(): void {
    this.agent.destroy();
  }
}
