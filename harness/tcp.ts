/** TCP probes (this machine has no ping). */
import { connect } from 'node:net';

/** Whether host:port accepts a TCP connection within `ms`. */
export function acceptsConnections(host: string, port: number, ms = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
