import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Service output: every line goes verbatim to `var/log/<name>.log` and, made readable, to the
 * terminal as `<name> | LEVEL message key=value`. Lines are pino JSON (the services),
 * logfmt (Prometheus, Alertmanager) or anything else (a crash's stack trace), shown raw.
 */

export const LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

/** pino's numeric levels. */
export const LEVELS: Readonly<Record<LevelName, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export interface ParsedLine {
  readonly level: number;
  readonly message: string;
  /** `key=value` pairs worth showing, already rendered. */
  readonly fields: readonly string[];
  /** Extra lines shown under the message (an error's stack). */
  readonly detail: readonly string[];
}

// Resource and correlation fields: the same on every line, or only useful in a log backend.
const HIDDEN_KEYS = new Set([
  'level',
  'time',
  'timestamp',
  'ts',
  'pid',
  'hostname',
  'msg',
  'message',
  'v',
  'caller',
  'component',
  'trace_id',
  'span_id',
  'trace_flags',
  'service.name',
  'service.namespace',
  'service.version',
  'service.instance.id',
  'deployment.environment.name',
]);

const MAX_INLINE_JSON = 160;

/** Reads one output line; `fallbackLevel` is used for lines that carry none. */
export function parseLogLine(line: string, fallbackLevel: number): ParsedLine {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    const json = parseJsonObject(trimmed);
    if (json) return fromJson(json, fallbackLevel);
  }
  const logfmt = parseLogfmt(trimmed);
  if (logfmt) return fromLogfmt(logfmt, fallbackLevel);
  // Node's own warnings (deprecations) reach stderr without being errors.
  const level = /^\(node:\d+\) |^\(Use `node --trace-/.test(trimmed)
    ? Math.min(fallbackLevel, LEVELS.warn)
    : fallbackLevel;
  return { level, message: line, fields: [], detail: [] };
}

export interface FormatOptions {
  /** Width the source name is padded to, so the bars line up. */
  readonly width: number;
  readonly color: boolean;
}

/** `frontend       | INFO  listening port=8080`, coloured when asked. */
export function formatLine(source: string, parsed: ParsedLine, options: FormatOptions): string {
  const name = source.padEnd(options.width);
  const label = levelLabel(parsed.level).padEnd(5);
  const fields = parsed.fields.join(' ');
  const gap = parsed.message !== '' && fields !== '' ? ' ' : '';
  const prefix = options.color ? `${paint(sourceColor(source), name)} ${paint(DIM, '|')} ` : `${name} | `;
  const head = options.color
    ? `${prefix}${paint(levelColor(parsed.level), label)} ${parsed.message}${gap}${paint(DIM, fields)}`
    : `${prefix}${label} ${parsed.message}${gap}${fields}`;
  const continuation = options.color
    ? `${' '.repeat(options.width)} ${paint(DIM, '|')} `
    : `${' '.repeat(options.width)} | `;
  return [head, ...parsed.detail.map((line) => `${continuation}      ${line}`)].join('\n');
}

export function levelLabel(level: number): string {
  let label: string = LEVEL_NAMES[0];
  for (const name of LEVEL_NAMES) if (level >= LEVELS[name]) label = name;
  return label.toUpperCase();
}

/** Writes formatted lines to the terminal, dropping those under the minimum level. */
export class Terminal {
  constructor(
    private readonly out: Writable,
    private readonly options: FormatOptions & { readonly minLevel: number },
  ) {}

  get width(): number {
    return this.options.width;
  }

  /** A parsed service line; returns whether it was shown. */
  show(source: string, parsed: ParsedLine): boolean {
    if (parsed.level < this.options.minLevel) return false;
    this.out.write(`${formatLine(source, parsed, this.options)}\n`);
    return true;
  }

  /** A line of the runner's own. */
  say(source: string, level: LevelName, message: string, fields: Record<string, string | number> = {}): void {
    const rendered = Object.entries(fields).map(([key, value]) => renderField(key, value));
    this.show(source, { level: LEVELS[level], message, fields: rendered, detail: [] });
  }

  /** Text printed as is, whatever the level filter (the ready table). */
  print(text: string): void {
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

export interface LogPipeOptions {
  readonly name: string;
  /** The service's log file, appended to (its folder is created). */
  readonly filePath: string;
  readonly terminal: Terminal;
  /** How many recent lines to keep for error messages. */
  readonly tailLines?: number;
}

/** One service's output, across restarts: the file stays open, each new child is attached. */
export class LogPipe {
  private readonly file: WriteStream;
  private readonly recent: string[] = [];
  private readonly tailLines: number;

  constructor(private readonly options: LogPipeOptions) {
    mkdirSync(dirname(options.filePath), { recursive: true });
    this.file = createWriteStream(options.filePath, { flags: 'a' });
    this.tailLines = options.tailLines ?? 30;
  }

  get filePath(): string {
    return this.options.filePath;
  }

  /** Follows a child's stdout and stderr; raw stderr lines count as errors, raw stdout as info. */
  attach(stdout: Readable, stderr: Readable): void {
    this.follow(stdout, LEVELS.info);
    this.follow(stderr, LEVELS.error);
  }

  /** The last lines the service wrote, oldest first. */
  tail(): readonly string[] {
    return [...this.recent];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(resolve));
  }

  private follow(stream: Readable, fallbackLevel: number): void {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => this.receive(line, fallbackLevel));
  }

  private receive(line: string, fallbackLevel: number): void {
    this.file.write(`${line}\n`);
    this.recent.push(line);
    if (this.recent.length > this.tailLines) this.recent.shift();
    if (line.trim() !== '') this.options.terminal.show(this.options.name, parseLogLine(line, fallbackLevel));
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function fromJson(json: Record<string, unknown>, fallbackLevel: number): ParsedLine {
  const level = readLevel(json.level) ?? fallbackLevel;
  const messageValue = json.msg ?? json.message;
  const fields: string[] = [];
  const detail: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (HIDDEN_KEYS.has(key) || value === undefined || value === null) continue;
    if ((key === 'err' || key === 'error') && isRecord(value)) {
      const type = typeof value.type === 'string' ? value.type : 'Error';
      const message = typeof value.message === 'string' ? value.message : JSON.stringify(value);
      fields.push(renderField(key, `${type}: ${message}`));
      if (level >= LEVELS.error && typeof value.stack === 'string')
        detail.push(...value.stack.split('\n').slice(1));
      continue;
    }
    fields.push(renderField(key, value));
  }
  return { level, message: typeof messageValue === 'string' ? messageValue : '', fields, detail };
}

function readLevel(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'warning') return LEVELS.warn;
  if (lower === 'critical' || lower === 'panic') return LEVELS.fatal;
  return LEVEL_NAMES.find((name) => name === lower) ? LEVELS[lower as LevelName] : undefined;
}

function renderField(key: string, value: unknown): string {
  if (typeof value === 'string') return `${key}=${/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${key}=${String(value)}`;
  }
  const json = JSON.stringify(value) ?? '';
  return `${key}=${json.length <= MAX_INLINE_JSON ? json : `${json.slice(0, MAX_INLINE_JSON)}…`}`;
}

/** `ts=… level=info msg="Server is ready"`, as Prometheus and Alertmanager write it. */
function parseLogfmt(line: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  const token = /([\w.-]+)=("(?:[^"\\]|\\.)*"|\S*)\s*/y;
  let position = 0;
  while (position < line.length) {
    token.lastIndex = position;
    const match = token.exec(line);
    if (!match) return undefined;
    const value = match[2] ?? '';
    pairs.set(match[1] ?? '', value.startsWith('"') ? unquote(value) : value);
    position = token.lastIndex;
  }
  return pairs.has('level') ? pairs : undefined;
}

function unquote(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value.slice(1, -1);
  }
}

function fromLogfmt(pairs: Map<string, string>, fallbackLevel: number): ParsedLine {
  const fields: string[] = [];
  for (const [key, value] of pairs) if (!HIDDEN_KEYS.has(key)) fields.push(renderField(key, value));
  return {
    level: readLevel(pairs.get('level')) ?? fallbackLevel,
    message: pairs.get('msg') ?? pairs.get('message') ?? '',
    fields,
    detail: [],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DIM = '2';
const SOURCE_COLORS = ['36', '35', '34', '32', '33', '96', '95', '94', '92', '93'];

function paint(code: string, text: string): string {
  return text === '' ? '' : `\u001b[${code}m${text}\u001b[0m`;
}

function levelColor(level: number): string {
  if (level >= LEVELS.fatal) return '1;35';
  if (level >= LEVELS.error) return '1;31';
  if (level >= LEVELS.warn) return '33';
  if (level >= LEVELS.info) return '32';
  return '90';
}

function sourceColor(source: string): string {
  let hash = 0;
  for (const char of source) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return SOURCE_COLORS[hash % SOURCE_COLORS.length] ?? '36';
}
