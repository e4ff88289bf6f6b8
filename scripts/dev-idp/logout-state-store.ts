import type { Request } from 'express';
import type { LogoutStateStore } from 'samlp';

type LoadCallback = (error: Error | null, state?: object) => void;

/**
 * Where samlp keeps a logout's state between its steps. The dev IdP keeps no sessions of its own,
 * so a logout starts and ends within one request and the state can live just as long.
 */
export class RequestScopedLogoutStore implements LogoutStateStore {
  private readonly states = new Map<string, object>();
  private nextHandle = 1;

  save(_request: Request, state: object, callback: (error: Error | null, handle?: string) => void): void {
    const handle = String(this.nextHandle++);
    this.states.set(handle, state);
    callback(null, handle);
  }

  load(_request: Request, handle: string, optionsOrCallback: { destroy?: boolean } | LoadCallback, maybeCallback?: LoadCallback): void {
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback!;
    const state = this.states.get(handle);
    if (options.destroy) this.states.delete(handle);
    callback(null, state);
  }

  update(_request: Request, handle: string, state: object, callback: (error: Error | null) => void): void {
    this.states.set(handle, state);
    callback(null);
  }
}
