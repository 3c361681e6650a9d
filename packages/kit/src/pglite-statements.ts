/** A backend message PGlite hands back; only passed from one of its functions to another here. */
type BackendMessage = object;

/**
 * The parts of @electric-sql/pglite's module this needs, passed in because the module is loaded
 * lazily (and written out because its types differ between its CommonJS and ESM builds).
 */
interface PGliteProtocol {
  readonly protocol: {
    readonly serialize: {
      parse(statement: { name: string; text: string }): Uint8Array;
      describe(target: { type: 'S' | 'P'; name?: string }): Uint8Array;
      bind(portal: { statement: string; values: (string | null)[] }): Uint8Array;
      execute(portal: Record<string, never>): Uint8Array;
      close(target: { type: 'S' | 'P'; name: string }): Uint8Array;
      sync(): Uint8Array;
    };
  };
  readonly parse: {
    parseResults(messages: BackendMessage[], parsers: PGliteSession['parsers']): { rows: unknown[] }[];
    parseDescribeStatementResults(messages: BackendMessage[]): number[];
  };
}

/** What this needs of a PGlite instance. */
interface PGliteSession {
  readonly closed: boolean;
  readonly serializers: Record<number | string, (value: never) => string>;
  readonly parsers: Record<number | string, (value: string, typeId?: number) => unknown>;
  execProtocolStream(message: Uint8Array, options: { syncToFs: boolean }): Promise<BackendMessage[]>;
}

interface Statement {
  readonly name: string;
  /** The parameters' type oids, for serialising values as PGlite's own query() does. */
  readonly parameterTypes: readonly number[];
}

/** feature_not_supported, which Postgres answers when a table changed under a cached plan's result. */
const CACHED_PLAN_CHANGED = '0A000';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/**
 * Named prepared statements on a PGlite. Its query() parses and plans each statement afresh and
 * calls into the WebAssembly backend six times (Parse, Describe, Bind, Describe, Execute, Sync).
 * Here a statement text is parsed once, and each run is a single call (Bind, Describe, Execute,
 * Sync) that reuses the plan: half (a primary-key lookup) to a third (the reservation's
 * multi-table statement) of the CPU.
 * The caller holds PGlite's locks, as its query() does.
 */
export class PreparedStatements {
  private readonly statements = new Map<string, Statement>();
  private counter = 0;

  constructor(
    private readonly db: PGliteSession,
    private readonly pglite: PGliteProtocol,
    /** Past this many texts the oldest statement is closed: statement texts built per call stay bounded. */
    private readonly capacity = 256,
  ) {}

  async query<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    if (this.db.closed) throw new Error('PGlite is closed');
    const statement = this.statements.get(text) ?? (await this.prepare(text));
    try {
      return await this.execute<R>(statement, params);
    } catch (error) {
      if ((error as { code?: unknown }).code !== CACHED_PLAN_CHANGED) throw error;
      await this.forget(text);
      return this.execute<R>(await this.prepare(text), params);
    }
  }

  private async prepare(text: string): Promise<Statement> {
    const { serialize } = this.pglite.protocol;
    const evicted: Uint8Array[] = [];
    if (this.statements.size >= this.capacity) {
      const [oldest, statement] = this.statements.entries().next().value ?? [];
      if (oldest !== undefined && statement) {
        this.statements.delete(oldest);
        evicted.push(serialize.close({ type: 'S', name: statement.name }));
      }
    }
    const name = `glasshouse_${++this.counter}`;
    const messages = await this.db.execProtocolStream(
      concat([
        ...evicted,
        serialize.parse({ name, text }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement = { name, parameterTypes: this.pglite.parse.parseDescribeStatementResults(messages) };
    this.statements.set(text, statement);
    return statement;
  }

  private async execute<R>(statement: Statement, params: readonly unknown[]): Promise<R[]> {
    const { serialize } = this.pglite.protocol;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = this.db.serializers[statement.parameterTypes[i] ?? 0];
      // Without a serialiser for the type, PGlite's own query() sends the value's text too.
      return serializer ? serializer(param as never) : (param as { toString(): string }).toString();
    });
    const messages = await this.db.execProtocolStream(
      concat([
        serialize.bind({ statement: statement.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    return (this.pglite.parse.parseResults(messages, this.db.parsers)[0]?.rows ?? []) as R[];
  }

  private async forget(text: string): Promise<void> {
    const statement = this.statements.get(text);
    if (!statement) return;
    this.statements.delete(text);
    const { serialize } = this.pglite.protocol;
    await this.db.execProtocolStream(
      concat([serialize.close({ type: 'S', name: statement.name }), serialize.sync()]),
      { syncToFs: false },
    );
  }
}
