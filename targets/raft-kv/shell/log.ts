/** Structured logs: one JSON object per line on stderr. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export function stderrLogger(node: string): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), node, level, msg, ...fields }) + '\n');
  return { info: (m, f) => emit('info', m, f), warn: (m, f) => emit('warn', m, f) };
}
