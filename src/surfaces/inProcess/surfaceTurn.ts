import type { TurnContext } from 'botbuilder';
import type { SurfaceSink } from './surfaceSink';

/** The surface a turn runs for: where its output goes and the signal that stops it. */
export interface SurfaceTurn {
  readonly sink: SurfaceSink;
  /** Aborted by the surface (Ctrl+C, client disconnect, Stop button): stops the answer and the model call. */
  readonly signal: AbortSignal;
}

const SURFACE_KEY = Symbol('surfaceTurn');

/** Attaches the surface to a turn created by the in-process adapter. */
export function attachSurfaceTurn(context: TurnContext, surface: SurfaceTurn): void {
  context.turnState.set(SURFACE_KEY, surface);
}

/** The surface of this turn, or undefined for a turn that came from Teams. */
export function surfaceTurnOf(context: TurnContext): SurfaceTurn | undefined {
  return context.turnState.get<SurfaceTurn | undefined>(SURFACE_KEY);
}
